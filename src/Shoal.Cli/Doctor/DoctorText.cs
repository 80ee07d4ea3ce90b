namespace Shoal.Cli.Doctor;

/// <summary>
/// The report for a person: where the facts come from, then one line per finding, <c>ok</c>, <c>warn</c> or
/// <c>FAIL</c> with its topic, and below a failing one what to do, indented.
/// </summary>
public static class DoctorText
{
    public static async Task WriteAsync(TextWriter output, DoctorFacts facts, IReadOnlyList<DoctorFinding> findings)
    {
        await output.WriteLineAsync($"shoal doctor: {facts.Source}").ConfigureAwait(false);
        foreach (DoctorFinding finding in findings)
        {
            string level = finding.Level switch
            {
                DoctorLevel.Ok => "ok  ",
                DoctorLevel.Warning => "warn",
                _ => "FAIL",
            };
            await output.WriteLineAsync($"{level}  {finding.Topic,-8} {finding.Text}").ConfigureAwait(false);
            if (finding.Advice is { } advice && finding.Level != DoctorLevel.Ok)
            {
                await output.WriteLineAsync($"      {"",-8} what to do: {advice}").ConfigureAwait(false);
            }
        }
    }
}
