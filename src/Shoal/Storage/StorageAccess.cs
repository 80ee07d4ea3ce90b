namespace Shoal.Storage;

/// <summary>Whether a <see cref="FileStorage"/> may create and change files.</summary>
public enum StorageAccess
{
    /// <summary>Reads only: nothing is created or modified (seeding a user's own files, checking content).</summary>
    ReadOnly,

    /// <summary>Creates folders and files as needed and writes pieces into them.</summary>
    ReadWrite,
}
