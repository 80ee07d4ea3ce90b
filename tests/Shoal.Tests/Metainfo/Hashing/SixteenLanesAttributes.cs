using Shoal.Metainfo.Hashing;

namespace Shoal.Tests.Metainfo.Hashing;

/// <summary>A fact that needs the sixteen-lane (AVX-512) hashers, skipped on a core without them.</summary>
public sealed class SixteenLanesFactAttribute : FactAttribute
{
    public SixteenLanesFactAttribute()
    {
        Skip = SixteenLanesTheoryAttribute.Unavailable;
    }
}

/// <summary>A theory that needs the sixteen-lane (AVX-512) hashers, skipped on a core without them.</summary>
public sealed class SixteenLanesTheoryAttribute : TheoryAttribute
{
    public SixteenLanesTheoryAttribute()
    {
        Skip = Unavailable;
    }

    public static string? Unavailable => SixteenLanes.IsSupported ? null : "this core has no AVX-512 (F and BW)";
}
