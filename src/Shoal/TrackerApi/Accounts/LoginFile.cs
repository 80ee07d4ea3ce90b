using System.Text.Json;

namespace Shoal.TrackerApi.Accounts;

/// <summary>
/// <c>login.json</c> in the config folder: the current <see cref="LoginState"/>. It holds a bearer token,
/// so it is created readable by its owner only (mode 0600) and replaced atomically.
/// </summary>
public static class LoginFile
{
    public const string FileName = "login.json";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static string PathIn(string configDirectory) => Path.Combine(configDirectory, FileName);

    /// <summary>The saved login, or <see langword="null"/> when nobody is logged in.</summary>
    public static LoginState? Read(string configDirectory)
    {
        string path = PathIn(configDirectory);
        byte[] json;
        try
        {
            json = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return Parse(json, path);
    }

    /// <summary>The login in <paramref name="json"/>, read from <paramref name="path"/>; anything else is an <see cref="IOException"/> that says what to do.</summary>
    internal static LoginState Parse(ReadOnlySpan<byte> json, string path)
    {
        LoginState? login;
        try
        {
            login = JsonSerializer.Deserialize(json, TrackerApiJson.Info<LoginState>(TrackerApiJson.Indented));
        }
        catch (JsonException e)
        {
            throw NotALogin(path, e.Message, e);
        }

        return login switch
        {
            null => throw new IOException($"{path} is empty: run 'shoal logout', then log in again"),
            { Tracker.IsAbsoluteUri: false } or { Announce.IsAbsoluteUri: false } => throw NotALogin(path, "an address in it is not absolute"),
            { Name.Length: 0 } or { Token.Length: 0 } or { Passkey.Length: 0 } => throw NotALogin(path, "its name, token or passkey is empty"),
            _ => login,
        };
    }

    public static void Write(string configDirectory, LoginState login)
    {
        Directory.CreateDirectory(configDirectory);
        string path = PathIn(configDirectory);
        string temporary = $"{path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Created 0600, never readable by others even for a moment; a file left over by a crash
            // would keep its old mode, so the mode is set again before the rename.
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                JsonSerializer.Serialize(stream, login, TrackerApiJson.Info<LoginState>(TrackerApiJson.Indented));
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, OwnerOnly);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    private static IOException NotALogin(string path, string reason, Exception? inner = null) =>
        new($"{path} is not a login Shoal wrote ({reason}): run 'shoal logout', then log in again", inner);

    /// <summary>Forgets the login; <see langword="false"/> when there was none.</summary>
    public static bool Delete(string configDirectory)
    {
        string path = PathIn(configDirectory);
        bool existed = File.Exists(path);
        File.Delete(path);
        return existed;
    }
}
