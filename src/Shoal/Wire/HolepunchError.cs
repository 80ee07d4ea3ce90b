namespace Shoal.Wire;

/// <summary>BEP 55 <c>err_code</c>: why a relay could not act on a rendezvous (0 in other messages).</summary>
public enum HolepunchError : uint
{
    None = 0,

    /// <summary>The target endpoint is invalid.</summary>
    NoSuchPeer = 1,

    /// <summary>The relay is not connected to the target.</summary>
    NotConnected = 2,

    /// <summary>The target does not support ut_holepunch.</summary>
    NoSupport = 3,

    /// <summary>The target endpoint belongs to the relay (or to the one asking).</summary>
    NoSelf = 4,
}
