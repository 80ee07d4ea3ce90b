using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using Shoal.Discovery.Dht;
using Shoal.Session;

namespace Shoal.Cli.Commands;

/// <summary>
/// `shoal dht [--port N] [--dht-bootstrap HOST:PORT]... [--wait SECONDS] [--json]`: a short-lived DHT
/// node joins (through the given nodes and the table saved by earlier runs), then prints its state.
/// </summary>
public static class DhtCommand
{
    public static Command Build()
    {
        var flags = new SessionFlags();
        var wait = new Option<double>("--wait") { Description = "Seconds to spend joining before printing", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("dht", "Join the DHT (BEP 5) for a few seconds and show the node's id, routing table and stored peers")
        {
            flags.Port, flags.DhtBootstrap, wait, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            SessionOptions options = flags.SessionOptions(parse, runtime.Configuration, runtime.Loggers);
            SessionDhtOptions dht = options.Dht ?? throw new UsageException("the DHT is turned off (setting Dht:Enabled)");
            double seconds = parse.GetValue(wait);
            if (seconds is < 0 or > 600)
            {
                throw new UsageException("--wait is between 0 and 600 seconds");
            }

            await using var node = new DhtService(options.ListenPort, options: dht.Node) { Logger = runtime.Loggers.CreateLogger("Shoal.Discovery") };
            IEnumerable<IPEndPoint> saved = dht.StateFile is { } file && File.Exists(file) ? await DhtService.LoadAsync(file, cancellationToken).ConfigureAwait(false) : [];
            await node.StartAsync(dht.Bootstrap, saved).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false);
            DhtState state = node.State;
            if (dht.StateFile is { } stateFile && state.RoutingTableSize > 0)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(stateFile)!);
                await node.SaveAsync(stateFile, cancellationToken).ConfigureAwait(false);
            }

            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(runtime.Output, DhtSummary.Of(state, node.Port), CliJson.Output.DhtSummary).ConfigureAwait(false);
            }
            else
            {
                await runtime.Output.WriteLineAsync(
                    $"node {state.Id} on UDP port {node.Port}: {state.RoutingTableSize} nodes in the routing table ({state.GoodNodes} good), {state.StoredPeers} peers stored for {state.StoredInfoHashes} info-hashes").ConfigureAwait(false);
                string external = state.ExternalAddress is { } address
                    ? $"external address {address} (as {state.ExternalAddressVoters} node(s) report it); the id {(state.IdConforms == true ? "conforms to it" : "does not conform to it yet")} (BEP 42)"
                    : "external address not known yet";
                await runtime.Output.WriteLineAsync(external).ConfigureAwait(false);
                foreach (DhtBootstrapHost host in state.BootstrapHosts)
                {
                    string how = host.Error is { } error ? $"does not resolve: {error}"
                        : host.Addresses.Count == 0 ? "not resolved yet"
                        : host.Answered ? "answered" : "did not answer";
                    await runtime.Output.WriteLineAsync($"bootstrap {host.Name}: {how}").ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
