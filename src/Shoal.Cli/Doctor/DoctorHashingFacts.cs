using Shoal.Metainfo.Hashing;

namespace Shoal.Cli.Doctor;

/// <summary>Whether this shoal hashes in AVX-512 lanes, and whether the processor has them.</summary>
public sealed record DoctorHashingFacts(bool InLanes, bool ProcessorHasLanes)
{
    public static DoctorHashingFacts OfThisProcess() => new(ContentHashing.InLanes, ContentHashing.ProcessorHasLanes(CpuFlags()));

    private static string CpuFlags()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("flags", StringComparison.Ordinal)) ?? "";
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
