namespace Shoal.Interop.Tests.Faults;

/// <summary>A fact that needs a <see cref="TmpfsMount"/>, skipped with the reason where mounting is not permitted.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        Skip = TmpfsMount.Unavailable;
    }
}

/// <summary>A fact that needs a <see cref="ReadOnlyFolder"/>, skipped with the reason where none can be made.</summary>
public sealed class ReadOnlyFolderFactAttribute : FactAttribute
{
    public ReadOnlyFolderFactAttribute()
    {
        Skip = ReadOnlyFolder.Unavailable;
    }
}
