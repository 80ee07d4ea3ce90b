using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Tests;
using Shoal.Tracker.Tests.Storage;
using Shoal.TrackerApi;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tracker.Tests.Accounts;

/// <summary>Group listings answer a page at a time, in the same order on SQLite and PostgreSQL whatever its locale.</summary>
public sealed class GroupPagingTests
{
    // Ordinal order; a PostgreSQL database in en-US order sorts them _x1, -aa, .dot, a_1, alpha, B-x, Zed.
    private static readonly string[] Names = ["-aa", ".dot", "B-x", "Zed", "_x1", "a_1", "alpha"];

    [Fact]
    public Task On_sqlite_groups_are_listed_by_name_a_page_at_a_time() => ListGroupsAsync(null);

    [Fact]
    public async Task On_postgres_in_an_en_US_locale_groups_are_listed_in_the_same_order()
    {
        await using TestDatabase database = await TestDatabase.CreateAsync("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'");
        await ListGroupsAsync("postgres:" + database.ConnectionString);
    }

    [Fact]
    public async Task Join_requests_and_group_files_are_listed_a_page_at_a_time()
    {
        using var folder = new TempFolder();
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        var api = AccountApi.Of(tracker);
        LoginResult owner = await api.SignUpAsync("owner");
        await api.CreateGroupAsync(owner, "physics");
        foreach (string name in new[] { "ann", "ben", "cat" })
        {
            Assert.Equal(HttpStatusCode.Accepted, await api.StatusAsync(HttpMethod.Post, "api/groups/physics/requests", await api.SignUpAsync(name)));
        }

        var shared = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            CreatedTorrent torrent = await RunningTracker.TorrentAsync(folder, $"paper-{i}.pdf", TorrentVersion.V1, size: 1000, isPrivate: true);
            Assert.Equal(HttpStatusCode.Created, (await api.ShareAsync(owner, "physics", torrent.FileBytes)).StatusCode);
            shared.Add(torrent.Torrent.Name);
        }

        (JoinRequest[] requests, long requestCount, string? next) = await PageAsync<JoinRequest>(api, owner, "api/groups/physics/requests?perPage=2");
        (JoinRequest[] lastRequests, _, string? none) = await PageAsync<JoinRequest>(api, owner, next!);
        (GroupFile[] files, long fileCount, _) = await PageAsync<GroupFile>(api, owner, "api/groups/physics/files?page=2&perPage=2");

        Assert.Equal(["ann", "ben", "cat"], requests.Concat(lastRequests).Select(request => request.User));
        Assert.Equal((3, "/api/groups/physics/requests?page=2&perPage=2", null), (requestCount, next, none));
        Assert.Equal(3, fileCount);
        Assert.Equal(shared[0], Assert.Single(files).Name);
    }

    private static async Task ListGroupsAsync(string? store)
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync(configure: o => o with { Store = store ?? o.Store });
        var api = AccountApi.Of(tracker);
        LoginResult owner = await api.SignUpAsync("owner");
        foreach (string name in Names.Reverse())
        {
            await api.CreateGroupAsync(owner, name);
        }

        var listed = new List<string>();
        string? path = "api/groups?perPage=3";
        var totals = new List<long>();
        while (path is not null)
        {
            (GroupSummary[] groups, long total, string? next) = await PageAsync<GroupSummary>(api, owner, path);
            listed.AddRange(groups.Select(group => group.Name));
            totals.Add(total);
            path = next;
        }

        GroupSummary[] everything = (await api.GetAsync<GroupSummary[]>("api/groups", owner))!;
        Assert.Equal(Names, listed);
        Assert.Equal([7, 7, 7], totals);
        Assert.Equal(Names, everything.Select(group => group.Name));
        Assert.Equal(Names.Order(StringComparer.Ordinal), (await api.GetAsync<AccountInfo>("api/me", owner)).Groups);
        Assert.Equal(HttpStatusCode.BadRequest, await api.StatusAsync(HttpMethod.Get, $"api/groups?perPage={Paging.MaxPerPage + 1}", owner));
        Assert.Equal(HttpStatusCode.BadRequest, await api.StatusAsync(HttpMethod.Get, "api/groups?page=0", owner));
    }

    /// <summary>One page: its items, the listing's count and the link to the next page, if any.</summary>
    private static async Task<(T[] Items, long Total, string? Next)> PageAsync<T>(AccountApi api, LoginResult login, string path)
    {
        using HttpResponseMessage response = await api.SendAsync(HttpMethod.Get, path.TrimStart('/'), login);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        long total = long.Parse(Assert.Single(response.Headers.GetValues(Paging.TotalCountHeader)), System.Globalization.CultureInfo.InvariantCulture);
        string? next = response.Headers.TryGetValues("Link", out IEnumerable<string>? links) ? Assert.Single(links).Split('<', '>')[1] : null;
        return ((await response.Content.ReadFromJsonAsync<T[]>(JsonSerializerOptions.Web))!, total, next);
    }
}
