using Shoal.TrackerApi.Index;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>Registers a torrent in the file index of the trackers it names (`create --register`, `share --tracker`).</summary>
public static class TrackerRegistration
{
    /// <summary>Registers with each tracker in turn; the first that fails throws <see cref="TrackerIndexException"/>.</summary>
    public static async Task RegisterAsync(CliRuntime runtime, HttpClient http, IEnumerable<string> trackers, ReadOnlyMemory<byte> torrentFile, CancellationToken cancellationToken)
    {
        foreach (string tracker in trackers)
        {
            var client = TrackerIndexClient.ForTracker(new Uri(tracker), http);
            IndexedFile entry = await client.RegisterAsync(torrentFile, cancellationToken).ConfigureAwait(false);
            runtime.Status.MarkupLine(Markup.Escape($"registered {entry.Name} in the file index of {client.BaseAddress}"));
        }
    }

    /// <summary>Registers with each tracker; one that fails gets a warning line on standard error and the rest go on.</summary>
    public static async Task TryRegisterAsync(CliRuntime runtime, HttpClient http, IEnumerable<string> trackers, ReadOnlyMemory<byte> torrentFile, CancellationToken cancellationToken)
    {
        foreach (string tracker in trackers)
        {
            try
            {
                await RegisterAsync(runtime, http, [tracker], torrentFile, cancellationToken).ConfigureAwait(false);
            }
            catch (TrackerIndexException e)
            {
                await Console.Error.WriteLineAsync($"shoal: warning: not registered in the file index: {e.Message}").ConfigureAwait(false);
            }
        }
    }
}
