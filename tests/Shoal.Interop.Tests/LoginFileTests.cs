using Shoal.Cli.Accounts;
using Shoal.TrackerApi.Accounts;

namespace Shoal.Interop.Tests;

/// <summary>The saved login: readable by its owner only, read back as written, found through SHOAL_CONFIG_DIR.</summary>
public sealed class LoginFileTests : IDisposable
{
    private static readonly LoginState Alice = new(
        new Uri("http://127.0.0.1:6969/"), new Uri("http://127.0.0.1:6969/announce"), "alice", "tok-en", "pass-key", new DateTimeOffset(2099, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private readonly string _folder = Directory.CreateTempSubdirectory("shoal-login-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_login_is_written_mode_0600_and_read_back()
    {
        string config = Path.Combine(_folder, "new-config");

        LoginFile.Write(config, Alice);
        LoginFile.Write(config, Alice with { Token = "newer" });

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(LoginFile.PathIn(config)));
        Assert.Equal(Alice with { Token = "newer" }, LoginFile.Read(config));
        Assert.Single(Directory.GetFiles(config));
        Assert.True(LoginFile.Delete(config));
        Assert.Null(LoginFile.Read(config));
    }

    // Found by TrackerApiAnswerFuzzTests: each was read, and the next command threw ArgumentNullException, InvalidOperationException or ArgumentException.
    [Theory]
    [InlineData("""{"tracker":"http://127.0.0.1:6969/","name":"alice","token":"t","passkey":"p","expiresAt":"2099-01-02T03:04:05+00:00"}""")]
    [InlineData("""{"tracker":"http:9//127.0.0.1/","announce":"http://127.0.0.1:6969/announce","name":"alice","token":"t","passkey":"p","expiresAt":"2099-01-02T03:04:05+00:00"}""")]
    [InlineData("""{"tracker":"http://127.0.0.1:6969/","announce":"http://127.0.0.1:6969/announce","name":"alice","token":"t","passkey":"","expiresAt":"2099-01-02T03:04:05+00:00"}""")]
    public void A_login_file_missing_a_part_is_an_error_that_says_what_to_do(string json)
    {
        File.WriteAllText(LoginFile.PathIn(_folder), json);

        IOException e = Assert.Throws<IOException>(() => LoginFile.Read(_folder));

        Assert.Contains("run 'shoal logout', then log in again", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_passkey_goes_only_to_the_login_trackers_announce_url()
    {
        Assert.Equal(new Uri("http://127.0.0.1:6969/announce/pass-key"), Alice.RewriteAnnounceUrl(new Uri("http://127.0.0.1:6969/announce")));
        Assert.Equal(new Uri("http://other:6969/announce"), Alice.RewriteAnnounceUrl(new Uri("http://other:6969/announce")));
    }

    [Fact]
    public async Task Status_reads_the_login_from_SHOAL_CONFIG_DIR_on_the_next_run()
    {
        LoginFile.Write(_folder, Alice);

        ProcessResult status = await Tools.ShoalAsync(new Dictionary<string, string> { ["SHOAL_CONFIG_DIR"] = _folder }, "status");

        Assert.Equal(0, status.ExitCode);
        Assert.Equal("logged in as alice on http://127.0.0.1:6969/ until 2099-01-02 03:04:05Z", status.Output.Trim());
    }
}
