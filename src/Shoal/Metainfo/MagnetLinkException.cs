namespace Shoal.Metainfo;

/// <summary>A malformed magnet link. The message names the part that is wrong.</summary>
public sealed class MagnetLinkException : FormatException
{
    public MagnetLinkException(string problem)
        : base($"magnet link: {problem}")
    {
        Problem = problem;
    }

    public string Problem { get; }
}
