using System.CommandLine;
using System.Net;
using Shoal.Node;

namespace Shoal.Cli.Commands;

/// <summary>
/// `shoal node [--data DIR] [--port N] [--api HOST:PORT] [--download-dir DIR] [--insecure-bind]`: one session
/// for many torrents, kept across restarts and driven by the REST API, until Ctrl-C or SIGTERM.
/// </summary>
public static class NodeCommand
{
    public static Command Build()
    {
        var data = new Option<string?>("--data") { Description = "Folder for the node's database, token and resume data (default: Shoal's data folder/node)" };
        var api = new Option<string>("--api") { Description = "HOST:PORT the REST API listens on", DefaultValueFactory = _ => $"127.0.0.1:{NodeOptions.DefaultApiPort}" };
        var downloads = new Option<string?>("--download-dir") { Description = "Where torrents are saved unless an add names a folder (default: setting Node:DownloadDirectory, else ~/Downloads)" };
        var insecure = new Option<bool>("--insecure-bind") { Description = "Let the API listen on a non-loopback address without TLS: anyone on the network path can read the token" };
        var flags = new SessionFlags();
        var command = new Command("node", "Run a node: many torrents in one session, kept across restarts, driven by a REST API")
        {
            data, api, downloads, insecure, flags.Port, flags.Listen, flags.DhtBootstrap, flags.NoDht, flags.NoLocalDiscovery, flags.Encryption, flags.NoUtp, flags.NoTcp,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            var options = new NodeOptions
            {
                DataDirectory = Path.GetFullPath(parse.GetValue(data) ?? ShoalConfiguration.NodeDataDirectory),
                DownloadDirectory = Path.GetFullPath(parse.GetValue(downloads) ?? runtime.Configuration["Node:DownloadDirectory"] ?? DefaultDownloads()),
                Api = ApiEndPoint(parse.GetValue(api)!),
                InsecureBind = parse.GetValue(insecure),
                TlsCertificateFile = runtime.Configuration["Node:TlsCertificate"],
                TlsKeyFile = runtime.Configuration["Node:TlsKey"],
                HostNames = SettingList.Read(runtime.Configuration, "Node:HostNames") ?? [],
                ShareRoots = [.. (SettingList.Read(runtime.Configuration, "Node:ShareRoots") ?? [Home]).Select(Path.GetFullPath)],
                ConfigDirectory = ShoalConfiguration.ConfigDirectory,
                Session = flags.SessionOptions(parse, runtime.Configuration, runtime.Loggers),
                DhtWhenTurnedOn = flags.DhtSettings(parse, runtime.Configuration),
            };
            await using NodeHost node = await NodeHost.StartAsync(options, runtime.Loggers, cancellationToken).ConfigureAwait(false);
            await runtime.Output.WriteLineAsync($"api: {node.ApiUrl}").ConfigureAwait(false);
            await runtime.Output.WriteLineAsync($"web: {node.WebLoginUrl}").ConfigureAwait(false);
            await runtime.Output.WriteLineAsync($"listening on {node.Session.ListenEndPoint} for peers").ConfigureAwait(false);
            await runtime.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await CliRuntime.RunUntilStoppedAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static IPEndPoint ApiEndPoint(string text)
    {
        string hostPort = text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase) ? $"127.0.0.1{text["localhost".Length..]}" : text;
        return IPEndPoint.TryParse(hostPort, out IPEndPoint? endPoint) && hostPort.Contains(':', StringComparison.Ordinal) && endPoint.Port is > 0 and <= 65535
            ? endPoint
            : throw new UsageException($"--api '{text}' is not an IP address and port, e.g. 127.0.0.1:{NodeOptions.DefaultApiPort}");
    }

    private static string Home => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    private static string DefaultDownloads() => Path.Combine(Home, "Downloads");
}
