namespace Shoal.Metainfo;

/// <summary>A .torrent file or info dictionary that is malformed, inconsistent or unsafe.</summary>
public sealed class MetainfoException : FormatException
{
    public MetainfoException(string message)
        : base(message)
    {
    }

    public MetainfoException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
