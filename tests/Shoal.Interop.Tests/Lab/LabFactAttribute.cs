namespace Shoal.Interop.Tests.Lab;

/// <summary>
/// A fact that needs the network lab (<see cref="NetworkNamespace"/>, <see cref="VethLink"/>, tbf), skipped with
/// the reason where it cannot be built: not root, or `ip netns add`, veth pairs or tbf not permitted here.
/// </summary>
public sealed class LabFactAttribute : FactAttribute
{
    public LabFactAttribute()
    {
        Skip = NetworkNamespace.Unavailable;
    }
}

/// <summary>Lab tests run alone: each times flows over a shaped link, and nothing else should compete for the two cores meanwhile.</summary>
[CollectionDefinition(nameof(LabCollection), DisableParallelization = true)]
public sealed class LabCollection;
