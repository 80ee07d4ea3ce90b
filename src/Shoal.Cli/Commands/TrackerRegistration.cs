using Shoal.Cli.Accounts;
using Shoal.TrackerApi.Accounts;
using Shoal.TrackerApi.Index;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>
/// Registers a torrent in the file index of the trackers it names (`create --register`, `share --tracker`): as the
/// logged-in user on the tracker of the login (an index needs a login unless it runs with --open-registration),
/// anonymously on the others.
/// </summary>
public static class TrackerRegistration
{
    /// <summary>Registers with each tracker in turn; the first that fails throws its index or account exception.</summary>
    public static async Task RegisterAsync(CliRuntime runtime, HttpClient http, bool insecure, IEnumerable<string> trackers, ReadOnlyMemory<byte> torrentFile, CancellationToken cancellationToken)
    {
        LoginState? login = CurrentLogin.ReadValid();
        foreach (string tracker in trackers)
        {
            Uri index = TrackerIndexAddress.FromAnnounceUrl(new Uri(tracker));
            IndexedFile entry = login is not null && login.Tracker == index
                ? await new TrackerAccountClient(index, http, login.Token, insecure).RegisterTorrentAsync(torrentFile, cancellationToken).ConfigureAwait(false)
                : await new TrackerIndexClient(index, http).RegisterAsync(torrentFile, cancellationToken).ConfigureAwait(false);
            runtime.Status.MarkupLine(Markup.Escape($"registered {entry.Name} in the file index of {index}"));
        }
    }

    /// <summary>Registers with each tracker; one that fails gets a warning line on standard error and the rest go on.</summary>
    public static async Task TryRegisterAsync(CliRuntime runtime, HttpClient http, bool insecure, IEnumerable<string> trackers, ReadOnlyMemory<byte> torrentFile, CancellationToken cancellationToken)
    {
        foreach (string tracker in trackers)
        {
            try
            {
                await RegisterAsync(runtime, http, insecure, [tracker], torrentFile, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TrackerIndexException or TrackerAccountException)
            {
                await Console.Error.WriteLineAsync($"shoal: warning: not registered in the file index: {e.Message}").ConfigureAwait(false);
            }
        }
    }
}
