namespace Shoal.Metainfo;

/// <summary>How much the user wants one file of a torrent.</summary>
public enum FilePriority : byte
{
    /// <summary>Not downloaded, and not created; pieces it shares with a wanted file are fetched all the same.</summary>
    Skip = 0,

    Normal = 1,

    /// <summary>Its pieces are started before those of normal files.</summary>
    High = 2,
}
