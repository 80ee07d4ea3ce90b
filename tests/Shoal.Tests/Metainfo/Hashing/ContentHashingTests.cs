using Shoal.Metainfo.Hashing;

namespace Shoal.Tests.Metainfo.Hashing;

/// <summary>Whether a processor has the lanes, read from the flags line of /proc/cpuinfo.</summary>
public sealed class ContentHashingTests
{
    [Theory]
    [InlineData("flags\t\t: fpu sse2 avx2 avx512f avx512dq avx512bw sha_ni", true)]
    [InlineData("flags\t\t: fpu sse2 avx2 avx512f sha_ni", false)]
    [InlineData("flags\t\t: fpu sse2 avx2 avx512bwx avx512fx", false)]
    [InlineData("", false)]
    public void The_lanes_need_AVX512F_and_AVX512BW(string flags, bool hasLanes) =>
        Assert.Equal(hasLanes, ContentHashing.ProcessorHasLanes(flags));
}
