namespace Shoal.Metainfo.Hashing;

/// <summary>How this process hashes content, for a person to check (<c>shoal doctor</c>).</summary>
public static class ContentHashing
{
    /// <summary>
    /// Whether this build, on this processor, hashes sixteen pieces or 16 KiB blocks at once in AVX-512 lanes. A
    /// native build for a generic x86-64 target has none even on a processor that has them.
    /// </summary>
    public static bool InLanes => SixteenLanes.IsSupported;

    /// <summary>Whether the processor has the lanes (the flags line of Linux's /proc/cpuinfo names AVX-512F and BW).</summary>
    public static bool ProcessorHasLanes(string cpuFlags)
    {
        ArgumentNullException.ThrowIfNull(cpuFlags);
        string[] flags = cpuFlags.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return flags.Contains("avx512f") && flags.Contains("avx512bw");
    }
}
