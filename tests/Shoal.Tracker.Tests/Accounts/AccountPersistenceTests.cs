using System.Buffers.Text;
using System.Net;
using System.Text;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Tests;
using Shoal.Tracker.Configuration;
using Shoal.Tracker.Tests.Storage;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tracker.Tests.Accounts;

/// <summary>Users, sessions, groups, members and files outlive a restart, on SQLite and on a shared PostgreSQL database.</summary>
public sealed class AccountPersistenceTests
{
    [Fact]
    public async Task Everything_survives_a_restart_on_sqlite()
    {
        using var data = new TempFolder();
        using var folder = new TempFolder();
        CreatedTorrent notes = await RunningTracker.TorrentAsync(folder, "notes.pdf", isPrivate: true);
        LoginResult alice;
        LoginResult bob;
        await using (RunningTracker tracker = await RunningTracker.StartAsync(data))
        {
            (alice, bob) = await SetUpAsync(AccountApi.Of(tracker), notes);
        }

        await using RunningTracker restarted = await RunningTracker.StartAsync(data);
        await CheckAsync(restarted, restarted, alice, bob, notes.Torrent.InfoHashes.V1!);
    }

    [Fact]
    public async Task Two_instances_on_one_postgres_database_share_accounts_and_groups_and_a_restart_loses_nothing()
    {
        await using TestDatabase database = await TestDatabase.CreateAsync();
        using var folder = new TempFolder();
        CreatedTorrent notes = await RunningTracker.TorrentAsync(folder, "notes.pdf", isPrivate: true);
        InfoHash v1 = notes.Torrent.InfoHashes.V1!;
        Func<TrackerOptions, TrackerOptions> onPostgres = o => o with { Store = "postgres:" + database.ConnectionString };

        LoginResult alice;
        LoginResult bob;
        await using (RunningTracker first = await RunningTracker.StartAsync(configure: onPostgres))
        await using (RunningTracker second = await RunningTracker.StartAsync(configure: onPostgres))
        {
            (alice, bob) = await SetUpAsync(AccountApi.Of(first), notes);
            await CheckAsync(first, second, alice, bob, v1);

            // A member removed through one instance is refused by the other at once.
            var api = AccountApi.Of(second);
            Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Delete, "api/groups/physics/members/bob", alice));
            Assert.Contains("private group", (await AccountApi.AnnounceAsync(first, bob.Passkey, v1, 7002)).FailureReason, StringComparison.Ordinal);
            await api.JoinAsync(alice, bob, "physics");
        }

        await using RunningTracker restarted = await RunningTracker.StartAsync(configure: onPostgres);
        await CheckAsync(restarted, restarted, alice, bob, v1);
        Assert.Equal(4L, await database.ScalarAsync("SELECT count(*) FROM sessions"));

        // Neither the secrets nor their bytes (bytea shows as hex) are anywhere in the account tables.
        string tables = (string)(await database.ScalarAsync("SELECT (SELECT string_agg(u::text, ',') FROM users u) || (SELECT string_agg(s::text, ',') FROM sessions s)"))!;
        Assert.Contains("alice", tables, StringComparison.Ordinal);
        string[] secrets = [AccountApi.Password, alice.Token, alice.Passkey, bob.Token, bob.Passkey];
        string[] rawTokens = [.. new[] { alice.Token, bob.Token }.Select(token => Convert.ToHexStringLower(Base64Url.DecodeFromChars(token)))];
        foreach (string secret in secrets.Concat(secrets.Select(secret => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret)))).Concat(rawTokens))
        {
            Assert.DoesNotContain(secret, tables, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task<(LoginResult Alice, LoginResult Bob)> SetUpAsync(AccountApi api, CreatedTorrent notes)
    {
        LoginResult alice = await api.SignUpAsync("alice");
        LoginResult bob = await api.SignUpAsync("bob");
        await api.CreateGroupAsync(alice, "physics");
        await api.JoinAsync(alice, bob, "physics");
        Assert.Equal(HttpStatusCode.Created, (await api.ShareAsync(bob, "physics", notes.FileBytes)).StatusCode);
        return (alice, bob);
    }

    // Tokens and passkeys from before still work on the other (or restarted) instance.
    private static async Task CheckAsync(RunningTracker one, RunningTracker other, LoginResult alice, LoginResult bob, InfoHash v1)
    {
        var api = AccountApi.Of(other);
        Assert.Equal(["physics"], (await api.GetAsync<AccountInfo>("api/me", bob)).Groups);
        Assert.Equal(new GroupSummary("physics", "alice", 2), Assert.Single(await api.GetAsync<GroupSummary[]>("api/groups", alice)));
        GroupFile file = Assert.Single(await api.GetAsync<GroupFile[]>("api/groups/physics/files", alice));
        Assert.Equal(("notes.pdf", "bob"), (file.Name, file.Owner));
        await api.LoginAsync("alice");

        Assert.Null((await AccountApi.AnnounceAsync(one, bob.Passkey, v1, 7001, left: 0)).FailureReason);
        Assert.Null((await AccountApi.AnnounceAsync(other, alice.Passkey, v1, 7002)).FailureReason);
        Assert.Contains("private group", (await AccountApi.AnnounceAsync(other, null, v1, 7003)).FailureReason, StringComparison.Ordinal);
    }
}
