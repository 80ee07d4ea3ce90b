namespace Shoal.Node;

/// <summary>The node cannot start as asked, or a request to it is refused; the message says why.</summary>
public sealed class NodeException : Exception
{
    public NodeException(string message)
        : base(message)
    {
    }

    public NodeException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public NodeException()
    {
    }
}
