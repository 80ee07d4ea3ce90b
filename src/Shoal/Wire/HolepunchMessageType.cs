namespace Shoal.Wire;

/// <summary>BEP 55 <c>msg_type</c> of a <c>ut_holepunch</c> message.</summary>
public enum HolepunchMessageType : byte
{
    /// <summary>To a relay: send connect messages to us and to the target.</summary>
    Rendezvous = 0x00,

    /// <summary>From a relay: open a uTP connection to the endpoint now.</summary>
    Connect = 0x01,

    /// <summary>From a relay: the rendezvous cannot be done; the endpoint is the one asked for.</summary>
    Error = 0x02,
}
