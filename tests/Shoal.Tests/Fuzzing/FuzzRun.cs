using System.Diagnostics;
using Xunit.Abstractions;

namespace Shoal.Tests.Fuzzing;

/// <summary>
/// Runs one parser over generated inputs, <see cref="FuzzBudget"/> of them: counts what it accepts and rejects,
/// times it, measures the memory it keeps, and reports the figures to the test's output and, when
/// <c>SHOAL_FUZZ_REPORT</c> names a file, to that file (bench/fuzz.sh collects them there). Any exception
/// but the parser's own rejection fails the test, naming the input.
/// </summary>
public static class FuzzRun
{
    public const string ReportVariable = "SHOAL_FUZZ_REPORT";

    // Generous: other tests of the assembly allocate at the same time; a leak of every input still crosses it.
    private const long MemoryBound = 256L * 1024 * 1024;
    private static readonly Lock ReportLock = new();

    /// <summary>
    /// Feeds <paramref name="parse"/> the inputs <paramref name="next"/> makes (given their index); it returns
    /// whether the input was accepted, rejecting it by catching the parser's own exception (see <see cref="Accepts"/>).
    /// </summary>
    public static FuzzResult Run(ITestOutputHelper output, string parser, int perRun, Func<int, byte[]> next, Func<byte[], bool> parse)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(parse);
        int inputs = FuzzBudget.Inputs(perRun);
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        long accepted = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < inputs; i++)
        {
            byte[] input = next(i);
            try
            {
                accepted += parse(input) ? 1 : 0;
            }
            catch (Exception e)
            {
                Assert.Fail($"{parser}: {e.GetType().Name} for input {i}, base64 {Convert.ToBase64String(input)}: {e}");
            }
        }

        clock.Stop();
        // The parser and its state stay reachable through parse, so what it holds counts as growth.
        long growth = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        GC.KeepAlive(parse);
        var result = new FuzzResult(parser, inputs, accepted, clock.Elapsed, growth);
        output.WriteLine(result.ToString());
        if (Environment.GetEnvironmentVariable(ReportVariable) is { Length: > 0 } report)
        {
            lock (ReportLock)
            {
                File.AppendAllLines(report, [result.ToReportLine()]);
            }
        }

        Assert.True(growth < MemoryBound, $"{parser}: memory grew by {growth:N0} bytes over {inputs:N0} inputs");
        return result;
    }

    /// <summary>True when <paramref name="parse"/> returns, false when it throws <typeparamref name="TRejection"/>; any other exception goes through.</summary>
    public static bool Accepts<TRejection>(Action parse)
        where TRejection : Exception
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            parse();
            return true;
        }
        catch (TRejection)
        {
            return false;
        }
    }
}
