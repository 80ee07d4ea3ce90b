using System.CommandLine;

namespace Shoal.Cli.NodeApi;

/// <summary>How the node's client commands find it: <c>--node URL</c> and <c>--data DIR</c>.</summary>
public sealed class NodeFlags
{
    public Option<Uri?> Node { get; } = new("--node")
    {
        Description = "The node's API URL (default: the one its data folder names)",
        CustomParser = result =>
        {
            string text = result.Tokens[^1].Value;
            if (Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && url.Scheme is "http" or "https")
            {
                return url;
            }

            result.AddError($"--node '{text}' is not an http:// or https:// URL");
            return null;
        },
    };

    public Option<string?> Data { get; } = new("--data") { Description = "The node's data folder, which holds its API token (default: Shoal's data folder/node)" };

    public NodeClient Connect(ParseResult parse) =>
        NodeClient.Connect(parse.GetValue(Node), Path.GetFullPath(parse.GetValue(Data) ?? ShoalConfiguration.NodeDataDirectory));
}
