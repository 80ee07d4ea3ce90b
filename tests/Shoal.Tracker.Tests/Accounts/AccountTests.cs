using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Shoal.Tests;
using Shoal.Tests.Net;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Tracker.Tests.Accounts;

public sealed class AccountTests
{
    [Fact]
    public async Task A_user_signs_up_logs_in_twice_and_logs_out_one_session()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        var api = AccountApi.Of(tracker);

        using HttpResponseMessage created = await api.CreateUserAsync("alice");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("alice", (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await api.CreateUserAsync("alice", "another password")).StatusCode);

        LoginResult first = await api.LoginAsync("alice");
        LoginResult second = await api.LoginAsync("alice");
        Assert.Equal("alice", first.Name);
        Assert.NotEqual(first.Token, second.Token);
        Assert.NotEqual(first.Passkey, second.Passkey);
        Assert.InRange(first.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromDays(29.9), TimeSpan.FromDays(30.1));
        AccountInfo me = await api.GetAsync<AccountInfo>("api/me", first);
        Assert.Equal("alice", me.Name);
        Assert.Empty(me.Groups);

        Assert.Equal(HttpStatusCode.NoContent, await api.StatusAsync(HttpMethod.Delete, "api/sessions/current", first));
        Assert.Equal(HttpStatusCode.Unauthorized, await api.StatusAsync(HttpMethod.Get, "api/me", first));
        Assert.Equal(HttpStatusCode.Unauthorized, await api.StatusAsync(HttpMethod.Delete, "api/sessions/current", first));
        Assert.Equal("alice", (await api.GetAsync<AccountInfo>("api/me", second)).Name);
    }

    [Fact]
    public async Task A_wrong_password_an_unknown_name_and_a_bad_token_are_refused_alike()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        var api = AccountApi.Of(tracker);
        await api.SignUpAsync("alice");

        using HttpResponseMessage wrong = await api.LoginRawAsync("alice", "not the password");
        using HttpResponseMessage unknown = await api.LoginRawAsync("nobody", AccountApi.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal(await wrong.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        Assert.Equal("wrong name or password", (await wrong.Content.ReadFromJsonAsync<ApiError>(JsonSerializerOptions.Web))!.Error);

        Assert.Equal(HttpStatusCode.Unauthorized, await api.StatusAsync(HttpMethod.Get, "api/me", null));
        Assert.Equal(HttpStatusCode.Unauthorized, await api.StatusAsync(HttpMethod.Get, "api/me", new LoginResult("alice", "forged", "forged", DateTimeOffset.MaxValue)));
        Assert.Equal(HttpStatusCode.BadRequest, (await tracker.Http.PostAsync(new Uri("api/sessions", UriKind.Relative), new StringContent("{not json", Encoding.UTF8, "application/json"))).StatusCode);
    }

    // Strict reading (TrackerApiJson): a field left out or null is refused before any lookup, instead of read as null (a login with a null name was 401).
    [Theory]
    [InlineData("api/users", """{"password":"12345678"}""")]
    [InlineData("api/sessions", """{"name":null,"password":"12345678"}""")]
    public async Task A_json_body_missing_a_field_is_a_bad_request(string path, string body)
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();

        using HttpResponseMessage response = await tracker.Http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Changing_the_password_keeps_this_session_and_revokes_the_others()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        var api = AccountApi.Of(tracker);
        LoginResult here = await api.SignUpAsync("alice");
        LoginResult elsewhere = await api.LoginAsync("alice");

        using HttpResponseMessage wrongCurrent = await api.SendJsonAsync(HttpMethod.Put, "api/me/password", here, new PasswordChange("not it at all", "a new password"));
        Assert.Equal(HttpStatusCode.Forbidden, wrongCurrent.StatusCode);
        using HttpResponseMessage tooShort = await api.SendJsonAsync(HttpMethod.Put, "api/me/password", here, new PasswordChange(AccountApi.Password, "short"));
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        using HttpResponseMessage changed = await api.SendJsonAsync(HttpMethod.Put, "api/me/password", here, new PasswordChange(AccountApi.Password, "a new password"));
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        Assert.Equal(HttpStatusCode.OK, await api.StatusAsync(HttpMethod.Get, "api/me", here));
        Assert.Equal(HttpStatusCode.Unauthorized, await api.StatusAsync(HttpMethod.Get, "api/me", elsewhere));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.LoginRawAsync("alice")).StatusCode);
        await api.LoginAsync("alice", "a new password");
    }

    [Fact]
    public async Task A_token_expires_after_thirty_days()
    {
        var time = new ManualTimeProvider();
        await using RunningTracker tracker = await RunningTracker.StartAsync(time: time);
        var api = AccountApi.Of(tracker);
        LoginResult login = await api.SignUpAsync("alice");
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromDays(30), login.ExpiresAt);

        time.Advance(TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, await api.StatusAsync(HttpMethod.Get, "api/me", login));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await api.StatusAsync(HttpMethod.Get, "api/me", login));
    }

    [Theory]
    [InlineData("robert'); DROP TABLE users;--")]
    [InlineData("ａｄｍｉｎ")]
    [InlineData("admin\u200b")]
    [InlineData("admın")]
    [InlineData("ad")]
    [InlineData("a23456789012345678901234567890123")]
    [InlineData("admin ")]
    [InlineData("")]
    public async Task Names_outside_the_rules_are_refused_and_reach_no_table(string name)
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        var api = AccountApi.Of(tracker);
        using HttpResponseMessage user = await api.CreateUserAsync(name);
        Assert.Equal(HttpStatusCode.BadRequest, user.StatusCode);
        Assert.Contains("ASCII letters", (await user.Content.ReadFromJsonAsync<ApiError>(JsonSerializerOptions.Web))!.Error, StringComparison.Ordinal);

        LoginResult admin = await api.SignUpAsync("admin");
        using HttpResponseMessage group = await api.SendJsonAsync(HttpMethod.Post, "api/groups", admin, new NewGroup(name));
        Assert.Equal(HttpStatusCode.BadRequest, group.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.LoginRawAsync(name)).StatusCode);
        Assert.Equal("admin", (await api.GetAsync<AccountInfo>("api/me", admin)).Name);
    }

    [Fact]
    public async Task A_short_password_is_refused()
    {
        await using RunningTracker tracker = await RunningTracker.StartAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await AccountApi.Of(tracker).CreateUserAsync("alice", "1234567")).StatusCode);
    }

    [Fact]
    public async Task The_database_holds_no_password_token_or_passkey()
    {
        using var data = new TempFolder();
        const string Secret = "plaintext-password-7f3a";
        LoginResult login;
        await using (RunningTracker tracker = await RunningTracker.StartAsync(data))
        {
            var api = AccountApi.Of(tracker);
            Assert.Equal(HttpStatusCode.Created, (await api.CreateUserAsync("alice", Secret)).StatusCode);
            login = await api.LoginAsync("alice", Secret);
            Assert.Equal(HttpStatusCode.NoContent, (await api.SendJsonAsync(HttpMethod.Put, "api/me/password", login, new PasswordChange(Secret, Secret + "-2"))).StatusCode);
            Assert.Contains("alice", await ReadDatabaseAsync(data), StringComparison.Ordinal);
        }

        string database = await ReadDatabaseAsync(data);
        Assert.Contains("alice", database, StringComparison.Ordinal);
        foreach (string secret in new[] { Secret, login.Token, login.Passkey, login.Passkey.ToUpperInvariant() })
        {
            Assert.DoesNotContain(secret, database, StringComparison.Ordinal);
        }

        // Nor their random bytes in binary form.
        string hexDump = Convert.ToHexStringLower(Encoding.Latin1.GetBytes(database));
        Assert.DoesNotContain(login.Passkey, hexDump, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(Base64Url.DecodeFromChars(login.Token)), hexDump, StringComparison.Ordinal);
    }

    // The database file and its write-ahead log, as text (Latin-1 keeps every byte).
    private static async Task<string> ReadDatabaseAsync(TempFolder data)
    {
        var text = new StringBuilder();
        foreach (string file in Directory.GetFiles(data.Path, "tracker.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            text.Append(Encoding.Latin1.GetString(copy.ToArray()));
        }

        return text.ToString();
    }
}
