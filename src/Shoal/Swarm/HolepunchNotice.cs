using System.Net;
using Shoal.Wire;

namespace Shoal.Swarm;

/// <summary>
/// A BEP 55 message a relay sent us, for the session: a <see cref="HolepunchMessageType.Connect"/> to dial at once,
/// or an <see cref="HolepunchMessageType.Error"/> to log. <paramref name="Relay"/> is the relay's address as we see it.
/// </summary>
public readonly record struct HolepunchNotice(HolepunchMessage Message, IPEndPoint Relay);
