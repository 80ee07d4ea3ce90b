using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Shoal.Metainfo;
using Shoal.Metainfo.Creation;
using Shoal.Session;
using Shoal.Swarm;
using Shoal.Tracker;
using Shoal.Tracker.Configuration;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>`shoal demo`: one seeder and N leechers on loopback move a fresh random file, then every copy is checked.</summary>
public static class DemoCommand
{
    public static Command Build()
    {
        var size = new Option<string>("--size") { Description = "Size of the demo file (e.g. 64M, 1G)", DefaultValueFactory = _ => "256M" };
        var peers = new Option<int>("--peers") { Description = "How many leechers", DefaultValueFactory = _ => 4 };
        var maxUp = new Option<string?>("--seed-max-up") { Description = "Cap the seeder's upload (e.g. 20M) so the leechers lean on each other" };
        var command = new Command("demo", "Run a seeder and leechers on this machine and move a file between them") { size, peers, maxUp };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            string sizeText = parse.GetValue(size)!;
            if (!ByteSize.TryParse(sizeText, out long bytes) || bytes <= 0)
            {
                throw new UsageException($"--size '{sizeText}' is not a size in bytes");
            }

            int leechers = parse.GetValue(peers);
            if (leechers is < 1 or > 32)
            {
                throw new UsageException("--peers must be between 1 and 32");
            }

            long seedLimit = SessionFlags.Rate(parse.GetValue(maxUp), "--seed-max-up");
            // The embedded tracker's log lines would break the progress bars; -v shows them.
            ILoggerFactory trackerLoggers = parse.GetValue(CliRuntime.VerboseOption) ? runtime.Loggers : NullLoggerFactory.Instance;
            return await new DemoRun(runtime, trackerLoggers, bytes, leechers, seedLimit).RunAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private sealed class DemoRun(CliRuntime runtime, ILoggerFactory trackerLoggers, long size, int leecherCount, long seedLimit)
    {
        // Short, so that a peer which announced before others joined hears of them soon.
        private static readonly TimeSpan TrackerInterval = TimeSpan.FromSeconds(10);

        private readonly string _folder = Directory.CreateTempSubdirectory("shoal-demo-").FullName;

        public async Task<int> RunAsync(CancellationToken cancellationToken)
        {
            try
            {
                var trackerOptions = new TrackerOptions
                {
                    Port = 0,
                    ListenAddress = IPAddress.Loopback,
                    DataDirectory = Path.Combine(_folder, "tracker"),
                    AnnounceInterval = TrackerInterval,
                    MinAnnounceInterval = TrackerInterval,
                };
                await using TrackerHost tracker = await TrackerHost.StartAsync(trackerOptions, trackerLoggers, cancellationToken: cancellationToken).ConfigureAwait(false);
                await runtime.Output.WriteLineAsync($"demo: tracker at {tracker.HttpAnnounceUrl()} (and {tracker.UdpAnnounceUrl()})").ConfigureAwait(false);
                string file = Path.Combine(_folder, "seed", "demo.bin");
                byte[] expected = await WriteRandomFileAsync(file, cancellationToken).ConfigureAwait(false);
                var creation = new TorrentCreationOptions { Trackers = [tracker.HttpAnnounceUrl().AbsoluteUri] };
                CreatedTorrent created = await TorrentHashing.CreateAsync(runtime, ContentScanner.Scan(file), creation, cancellationToken).ConfigureAwait(false);
                return await TransferAsync(created.Torrent, file, expected, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Directory.Delete(_folder, recursive: true);
            }
        }

        private async Task<byte[]> WriteRandomFileAsync(string path, CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            byte[] chunk = new byte[1024 * 1024];
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
            for (long written = 0; written < size; written += chunk.Length)
            {
                int length = (int)Math.Min(chunk.Length, size - written);
                Random.Shared.NextBytes(chunk.AsSpan(0, length));
                hash.AppendData(chunk, 0, length);
                await stream.WriteAsync(chunk.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }

            return hash.GetHashAndReset();
        }

        private async Task<int> TransferAsync(Torrent torrent, string seedFile, byte[] expected, CancellationToken cancellationToken)
        {
            var options = new SessionOptions { ListenAddress = IPAddress.Loopback, Loggers = runtime.Loggers };
            await using ShoalSession seeder = ShoalSession.Start(options);
            TorrentHandle seed = seeder.Add(torrent, new AddTorrentOptions { ContentPath = seedFile, ContentIsVerified = true, UploadLimit = seedLimit });
            var sessions = new List<ShoalSession>();
            var handles = new List<TorrentHandle>();
            try
            {
                // No peer is given an address: each announces and learns the others from the tracker.
                // One at a time, so each finds everyone before it and no two dial each other at once.
                await AnnouncedAsync(seed, cancellationToken).ConfigureAwait(false);
                var stopwatch = Stopwatch.StartNew();
                for (int i = 0; i < leecherCount; i++)
                {
                    ShoalSession session = ShoalSession.Start(options);
                    sessions.Add(session);
                    TorrentHandle handle = session.Add(torrent, new AddTorrentOptions { SavePath = Path.Combine(_folder, $"leecher{i + 1}") });
                    handles.Add(handle);
                    await AnnouncedAsync(handle, cancellationToken).ConfigureAwait(false);
                }

                await runtime.Output.WriteLineAsync($"demo: 1 seeder and {leecherCount} leechers on 127.0.0.1 move {ByteSize.Format(size)} ({torrent.PieceCount} pieces of {ByteSize.Format(torrent.PieceLength)})").ConfigureAwait(false);
                TimeSpan[] finished = await ShowProgressAsync(handles, stopwatch, cancellationToken).ConfigureAwait(false);
                stopwatch.Stop();
                return await SummarizeAsync(torrent, seeder, sessions, handles, finished, stopwatch.Elapsed, expected, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await Task.WhenAll(sessions.Select(s => s.DisposeAsync().AsTask())).ConfigureAwait(false);
            }
        }

        private static async Task AnnouncedAsync(TorrentHandle handle, CancellationToken cancellationToken)
        {
            var deadline = Stopwatch.StartNew();
            while (handle.GetStatus().Trackers is not [{ LastAnnounce: not null }, ..])
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(30))
                {
                    string error = handle.GetStatus().Trackers is [{ LastError: { } last }, ..] ? last : "no answer";
                    throw new SessionException($"the demo's tracker did not answer: {error}");
                }

                await Task.Delay(20, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<TimeSpan[]> ShowProgressAsync(List<TorrentHandle> handles, Stopwatch stopwatch, CancellationToken cancellationToken)
        {
            var finished = new TimeSpan[handles.Count];
            await runtime.Status.Progress()
                .AutoClear(false)
                .Columns(TransferView.Columns())
                .StartAsync(async context =>
                {
                    ProgressTask[] tasks = [.. handles.Select((h, i) => context.AddTask($"leecher {i + 1}", maxValue: h.Torrent.AddressSpaceLength()))];
                    while (true)
                    {
                        for (int i = 0; i < handles.Count; i++)
                        {
                            TorrentStatus status = handles[i].GetStatus();
                            tasks[i].Value = status.Swarm.VerifiedBytes;
                            tasks[i].Description = $"leecher {i + 1} · {status.Swarm.Peers.Count} peers";
                            if (handles[i].Completion.IsCompleted && finished[i] == TimeSpan.Zero)
                            {
                                await handles[i].Completion.ConfigureAwait(false);
                                finished[i] = stopwatch.Elapsed;
                            }
                        }

                        if (handles.All(h => h.Completion.IsCompleted))
                        {
                            return;
                        }

                        await Task.WhenAny(Task.WhenAll(handles.Select(h => h.Completion)), Task.Delay(200, cancellationToken)).ConfigureAwait(false);
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }).ConfigureAwait(false);
            return finished;
        }

        private async Task<int> SummarizeAsync(
            Torrent torrent, ShoalSession seeder, List<ShoalSession> sessions, List<TorrentHandle> handles, TimeSpan[] finished, TimeSpan elapsed, byte[] expected, CancellationToken cancellationToken)
        {
            string seederId = PeerIdText.Format(seeder.PeerId.Span);
            var leecherIds = sessions.Select(s => PeerIdText.Format(s.PeerId.Span)).ToHashSet(StringComparer.Ordinal);
            var table = new Table().AddColumns("leecher", "done in", "rate", "from seeder", "from leechers", "SHA-256");
            bool allMatch = true;
            for (int i = 0; i < handles.Count; i++)
            {
                IReadOnlyDictionary<string, long> from = handles[i].GetStatus().Swarm.DownloadedByPeerId;
                string path = Path.Combine(_folder, $"leecher{i + 1}", torrent.Name);
                bool match = await Sha256Async(path, cancellationToken).ConfigureAwait(false) is var actual && actual.AsSpan().SequenceEqual(expected);
                allMatch &= match;
                table.AddRow(
                    $"{i + 1}",
                    $"{finished[i].TotalSeconds:0.00} s",
                    $"{ByteSize.Format((long)(size / Math.Max(finished[i].TotalSeconds, 0.001)))}/s",
                    ByteSize.Format(from.GetValueOrDefault(seederId)),
                    ByteSize.Format(from.Where(p => leecherIds.Contains(p.Key)).Sum(p => p.Value)),
                    match ? "[green]matches[/]" : "[red]WRONG[/]");
            }

            runtime.Status.Write(table);
            double total = (double)size * handles.Count;
            await runtime.Output.WriteLineAsync(
                $"demo: {handles.Count} copies of {ByteSize.Format(size)} in {elapsed.TotalSeconds:0.00} s ({ByteSize.Format((long)(total / elapsed.TotalSeconds))}/s delivered in all); " +
                (allMatch ? "every copy's SHA-256 matches the original" : "SOME COPIES DO NOT MATCH")).ConfigureAwait(false);
            return allMatch ? ExitCodes.Success : ExitCodes.BadInput;
        }

        private static async Task<byte[]> Sha256Async(string path, CancellationToken cancellationToken)
        {
            await using var stream = File.OpenRead(path);
            return await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }
}
