namespace Shoal.Bencoding;

/// <summary>Bounds a decoder enforces so that hostile input cannot exhaust the stack or memory.</summary>
public sealed record BencodeLimits
{
    public static BencodeLimits Default { get; } = new();

    /// <summary>Deepest nesting of lists and dictionaries.</summary>
    public int MaxDepth { get; init; } = 100;

    /// <summary>Most tokens (strings, integers, container starts) in one document.</summary>
    public int MaxTokens { get; init; } = 2_000_000;

    /// <summary>Reject dictionaries whose keys are not in ascending raw-byte order (canonical form).</summary>
    public bool RequireSortedKeys { get; init; }
}
