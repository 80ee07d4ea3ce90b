using System.Globalization;

namespace Shoal.Tests.Fuzzing;

/// <summary>
/// How many inputs a fuzz test gives its parser: its own per-run budget, which keeps ./test.sh fast, unless
/// <c>SHOAL_FUZZ_INPUTS</c> asks for more (bench/fuzz.sh runs every parser with 10 million).
/// </summary>
public static class FuzzBudget
{
    public const string Variable = "SHOAL_FUZZ_INPUTS";

    public static int Inputs(int perRun) =>
        int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out int inputs) && inputs > 0
            ? inputs
            : perRun;
}
