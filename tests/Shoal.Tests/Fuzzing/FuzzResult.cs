using System.Globalization;

namespace Shoal.Tests.Fuzzing;

/// <summary>What one parser did with a run of fuzz inputs; <see cref="MemoryGrowth"/> is the managed heap left after a full collection, minus the same before.</summary>
public sealed record FuzzResult(string Parser, int Inputs, long Accepted, TimeSpan Elapsed, long MemoryGrowth)
{
    public long Rejected => Inputs - Accepted;

    public double InputsPerSecond => Inputs / Math.Max(Elapsed.TotalSeconds, 1e-9);

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Parser}: {Inputs:N0} inputs in {Elapsed.TotalSeconds:F1} s ({InputsPerSecond:N0}/s), {Accepted:N0} accepted, {Rejected:N0} rejected, memory growth {MemoryGrowth / 1024.0 / 1024.0:F2} MiB");

    /// <summary>One tab-separated line for the campaign's report: parser, inputs, seconds, inputs/s, accepted, rejected, growth in bytes.</summary>
    public string ToReportLine() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Parser}\t{Inputs}\t{Elapsed.TotalSeconds:F1}\t{InputsPerSecond:F0}\t{Accepted}\t{Rejected}\t{MemoryGrowth}");
}
