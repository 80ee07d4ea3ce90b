namespace Shoal.Net.PortMapping;

/// <summary>Which of a session's ports a mapping forwards: the TCP listener, or the UDP socket uTP and the DHT share.</summary>
public enum MappingProtocol
{
    Tcp,
    Udp,
}
