using System.CommandLine;
using Shoal.Cli.Doctor;
using Shoal.Cli.NodeApi;
using Shoal.Session;
using Spectre.Console;

namespace Shoal.Cli.Commands;

/// <summary>
/// `shoal doctor [--wait SECONDS] [--node URL | --data DIR] [--json]`: how peers reach this machine, in plain words: the
/// listening ports, whether the router maps them and how, the external address as the router, trackers, peers and DHT
/// nodes see it, the DHT's state, and what to do about each thing that fails. It asks a running node when told to
/// (`--node`, `--data`), else runs a session of its own with the user's settings. Exit code 1 when something is wrong.
/// </summary>
public static class DoctorCommand
{
    public static Command Build()
    {
        var flags = new SessionFlags();
        var nodeFlags = new NodeFlags();
        var wait = new Option<double>("--wait") { Description = "Seconds to give the router and the DHT before reporting (a session of its own)", DefaultValueFactory = _ => 15 };
        var json = new Option<bool>("--json") { Description = "Print the facts and findings as JSON for scripts" };
        var command = new Command("doctor", "Check how peers reach this machine: ports, the router's port mapping, the external address and the DHT, and say what to fix")
        {
            flags.Port, flags.Listen, flags.DhtBootstrap, flags.NoDht, flags.NoPortMapping, nodeFlags.Node, nodeFlags.Data, wait, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using CliRuntime runtime = CliRuntime.Create(parse);
            double seconds = parse.GetValue(wait);
            if (seconds is < 0 or > 600)
            {
                throw new UsageException("--wait is between 0 and 600 seconds");
            }

            DoctorFacts facts;
            if (parse.GetValue(nodeFlags.Node) is not null || parse.GetValue(nodeFlags.Data) is not null)
            {
                using NodeClient node = nodeFlags.Connect(parse);
                facts = await DoctorNode.ReadAsync(node, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                SessionOptions options = flags.SessionOptions(parse, runtime.Configuration, runtime.Loggers) with
                {
                    // The probe holds no torrents: nothing to resume, nothing to tell the local network about.
                    StateDirectory = null,
                    LocalDiscovery = false,
                };
                facts = await runtime.Status.Status().StartAsync(
                    $"asking the router and the DHT (up to {seconds:0} s)…",
                    _ => DoctorProbe.RunAsync(options, TimeSpan.FromSeconds(seconds), cancellationToken)).ConfigureAwait(false);
            }

            IReadOnlyList<DoctorFinding> findings = DoctorReport.Of(facts);
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(runtime.Output, DoctorJson.Of(facts, findings), CliJson.Output.DoctorJson).ConfigureAwait(false);
            }
            else
            {
                await DoctorText.WriteAsync(runtime.Output, facts, findings).ConfigureAwait(false);
            }

            return findings.Any(f => f.Level == DoctorLevel.Problem) ? ExitCodes.BadInput : ExitCodes.Success;
        });
        return command;
    }
}
