using System.Text;
using Shoal.Net.PortMapping;
using Shoal.Tests.Fuzzing;
using Xunit.Abstractions;

namespace Shoal.Tests.Net.PortMapping;

/// <summary>What a gateway (or anyone on the LAN) sends, mutated: only <see cref="PortMappingException"/> may come out.</summary>
[Trait("Category", "Fuzz")]
public class UpnpFuzzTests(ITestOutputHelper output)
{
    private const int MaxBytes = 64 * 1024;
    private static readonly Uri Location = new("http://192.168.77.1:39227/rootDesc.xml");

    private const string FaultAnswer =
        "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault><faultcode>s:Client</faultcode>"
        + "<faultstring>UPnPError</faultstring><detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>718</errorCode>"
        + "<errorDescription>ConflictInMappingEntry</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>\r\n";

    private const string ExternalAddressAnswer =
        "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
        + "<u:GetExternalIPAddressResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:2\"><NewExternalIPAddress>198.51.100.1"
        + "</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body></s:Envelope>\r\n";

    [Fact]
    public void Mutated_search_answers_only_raise_port_mapping_exceptions()
    {
        byte[] seed = Encoding.ASCII.GetBytes(GatewaySamples.MiniupnpdSearchAnswer);
        var mutator = new Mutator(1900);
        FuzzResult result = FuzzRun.Run(output, "ssdp answer", 20_000, i => i % 10 == 0 ? mutator.RandomBytes(600) : mutator.Mutate(seed), input =>
            FuzzRun.Accepts<PortMappingException>(() =>
            {
                SsdpResponse response = SsdpCodec.DecodeResponse(input);
                Assert.Equal(Uri.UriSchemeHttp, response.Location.Scheme);
            }));
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    [Fact]
    public void Mutated_descriptions_only_raise_port_mapping_exceptions()
    {
        byte[][] seeds = [.. new[] { GatewaySamples.MiniupnpdDescription(2), GatewaySamples.MiniupnpdDescription(1), GatewaySamples.DslRouterDescription }.Select(Encoding.UTF8.GetBytes)];
        var mutator = new Mutator(49000);
        FuzzResult result = FuzzRun.Run(output, "igd description", 5_000, i => mutator.Mutate(seeds[i % seeds.Length]), input =>
            FuzzRun.Accepts<PortMappingException>(() =>
            {
                UpnpControlPoint control = UpnpDeviceDescription.Parse(input, Location, MaxBytes);
                Assert.Contains(control.ServiceType, UpnpDeviceDescription.ConnectionServiceTypes);
            }));
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }

    [Fact]
    public void Mutated_soap_answers_only_raise_port_mapping_exceptions()
    {
        byte[][] seeds = [Encoding.UTF8.GetBytes(FaultAnswer), Encoding.UTF8.GetBytes(ExternalAddressAnswer)];
        var mutator = new Mutator(5000);
        FuzzResult result = FuzzRun.Run(output, "soap answer", 10_000, i => i % 10 == 0 ? mutator.RandomBytes(600) : mutator.Mutate(seeds[i % seeds.Length]), input =>
            FuzzRun.Accepts<PortMappingException>(() =>
            {
                SoapFault? fault = SoapCodec.DecodeFault(input, MaxBytes);
                Assert.True(fault is null || fault.Description.Length <= 200);
                SoapCodec.DecodeResponse(input, "GetExternalIPAddress", MaxBytes);
            }));
        Assert.InRange(result.Accepted, 1, result.Inputs - 1);
    }
}
