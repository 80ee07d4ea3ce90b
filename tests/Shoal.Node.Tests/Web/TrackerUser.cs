using Shoal.Interop.Tests;

namespace Shoal.Node.Tests.Web;

/// <summary>Someone with an account on a Shoal tracker: `shoal` commands run with their own SHOAL_CONFIG_DIR.</summary>
internal sealed record TrackerUser(string Name, string ConfigFolder)
{
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["SHOAL_CONFIG_DIR"] = ConfigFolder };

    /// <summary>Creates the account, then logs in, both with the password on standard input.</summary>
    public async Task SignUpAsync(string tracker)
    {
        string password = $"{Name}'s long password\n";
        await OkAsync(password, "user", "create", Name, "--tracker", tracker, "--password-stdin");
        await OkAsync(password, "login", Name, "--tracker", tracker, "--password-stdin");
    }

    /// <summary>Runs a command that must succeed.</summary>
    public async Task OkAsync(string? input, params string[] arguments)
    {
        ProcessResult result = await ProcessRunner.RunAsync(Tools.Shoal, arguments, timeout: TimeSpan.FromMinutes(1), environment: Environment, standardInput: input);
        Assert.True(result.ExitCode == 0, $"{Name}: shoal {string.Join(' ', arguments)} exited with {result.ExitCode}: {result.Error}");
    }
}
