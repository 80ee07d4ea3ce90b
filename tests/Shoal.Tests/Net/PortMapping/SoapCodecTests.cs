using System.Text;
using Shoal.Net.PortMapping;

namespace Shoal.Tests.Net.PortMapping;

public class SoapCodecTests
{
    private const string Service = "urn:schemas-upnp-org:service:WANIPConnection:1";

    [Fact]
    public void Writes_an_action_with_its_arguments_in_order_and_escaped()
    {
        string text = Encoding.UTF8.GetString(SoapCodec.EncodeAction(Service, "AddPortMapping", [new("NewExternalPort", "6881"), new("NewPortMappingDescription", "<Shoal & \"co\">")]));

        Assert.Contains(
            "<s:Body><u:AddPortMapping xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\"><NewExternalPort>6881</NewExternalPort>"
            + "<NewPortMappingDescription>&lt;Shoal &amp; &quot;co&quot;&gt;</NewPortMappingDescription></u:AddPortMapping></s:Body>",
            text,
            StringComparison.Ordinal);
        Assert.StartsWith("<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"", text, StringComparison.Ordinal);
        Assert.Equal("\"urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping\"", SoapCodec.ActionHeader(Service, "AddPortMapping"));
    }

    [Fact]
    public void Reads_an_answers_out_arguments()
    {
        const string answer =
            "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
            + "<s:Body><u:GetExternalIPAddressResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">"
            + "<NewExternalIPAddress>203.0.113.7</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body></s:Envelope>\r\n";

        IReadOnlyDictionary<string, string> values = SoapCodec.DecodeResponse(Encoding.UTF8.GetBytes(answer), "GetExternalIPAddress", 4096);

        Assert.Equal("203.0.113.7", values["NewExternalIPAddress"]);
        Assert.Throws<PortMappingException>(() => SoapCodec.DecodeResponse(Encoding.UTF8.GetBytes(answer), "AddPortMapping", 4096));
        Assert.Throws<PortMappingException>(() => SoapCodec.DecodeResponse(Encoding.UTF8.GetBytes(answer), "GetExternalIPAddress", 100));
    }

    [Fact]
    public void Reads_a_faults_upnp_error_and_explains_it()
    {
        const string fault =
            "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
            + "<s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail>"
            + "<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>718</errorCode><errorDescription>ConflictInMappingEntry</errorDescription></UPnPError>"
            + "</detail></s:Fault></s:Body></s:Envelope>\r\n";

        SoapFault? read = SoapCodec.DecodeFault(Encoding.UTF8.GetBytes(fault), 4096);

        Assert.Equal(new SoapFault(718, "ConflictInMappingEntry"), read);
        Assert.Equal("UPnP error 718 'ConflictInMappingEntry': the external port is already mapped to another host", read!.Explain());
        Assert.Equal("UPnP error 899 'Vendor'", new SoapFault(899, "Vendor").Explain());
        Assert.Null(SoapCodec.DecodeFault(Encoding.UTF8.GetBytes("<html>500 Internal Server Error</html>"), 4096));
        Assert.Null(SoapCodec.DecodeFault(Encoding.UTF8.GetBytes("not xml"), 4096));
    }
}
