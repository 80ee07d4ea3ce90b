using Shoal.TrackerApi.Accounts;

namespace Shoal.Cli.Commands;

/// <summary>Finds a group's file by what the user typed: its name, or its info-hash when two files share a name.</summary>
public static class GroupFileLookup
{
    public static async Task<GroupFile> FindAsync(TrackerAccountClient client, string group, string nameOrHash, CancellationToken cancellationToken)
    {
        GroupFile[] files = await client.GetGroupFilesAsync(group, cancellationToken).ConfigureAwait(false);
        GroupFile[] byHash = [.. files.Where(f => string.Equals(f.InfoHashV1, nameOrHash, StringComparison.OrdinalIgnoreCase) || string.Equals(f.InfoHashV2, nameOrHash, StringComparison.OrdinalIgnoreCase))];
        GroupFile[] found = byHash.Length > 0 ? byHash : [.. files.Where(f => f.Name == nameOrHash)];
        return found.Length switch
        {
            1 => found[0],
            0 => throw new IOException($"{group} has no file named {nameOrHash} (see 'shoal group files {group}')"),
            _ => throw new IOException($"{group} has {found.Length} files named {nameOrHash}: name one by its info-hash ({string.Join(", ", found.Select(HashOf))})"),
        };
    }

    /// <summary>The info-hash (hex) the API names the file by.</summary>
    public static string HashOf(GroupFile file) =>
        file.InfoHashV1 ?? file.InfoHashV2 ?? throw new IOException($"the tracker lists {file.Name} without an info-hash");
}
