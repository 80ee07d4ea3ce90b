namespace Shoal.Net.Encryption;

/// <summary>
/// An MSE handshake failed: the peer sent something the protocol does not allow, offered nothing we accept, asked
/// for a torrent we do not have, or stopped before the end. The connection cannot continue; the message says why.
/// </summary>
internal sealed class MseException(string message) : Exception(message);
