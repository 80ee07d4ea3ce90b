namespace Shoal.Cli.NodeApi;

/// <summary>No node answered, or the node refused a request; the message is the one line the user sees.</summary>
public sealed class NodeClientException(string message) : Exception(message);
