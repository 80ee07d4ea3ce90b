using System.Security;
using System.Text;
using System.Xml.Linq;
using static Shoal.Net.PortMapping.UpnpXml;

namespace Shoal.Net.PortMapping;

/// <summary>
/// The SOAP 1.1 envelopes of UPnP control (UDA 1.1, section 3.2): an action with its arguments in order, its
/// answer's out arguments, and a fault's UPnPError. Values are XML-escaped; answers are read with no DTD and a
/// bounded size, elements matched by local name.
/// </summary>
public static class SoapCodec
{
    /// <summary>The body of a POST to the control URL for <paramref name="action"/> of <paramref name="serviceType"/>.</summary>
    public static byte[] EncodeAction(string serviceType, string action, IReadOnlyList<KeyValuePair<string, string>> arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceType);
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentNullException.ThrowIfNull(arguments);
        var text = new StringBuilder()
            .Append("<?xml version=\"1.0\"?>\r\n")
            .Append("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">")
            .Append("<s:Body>")
            .Append("<u:").Append(action).Append(" xmlns:u=\"").Append(SecurityElement.Escape(serviceType)).Append("\">");
        foreach ((string name, string value) in arguments)
        {
            text.Append('<').Append(name).Append('>').Append(SecurityElement.Escape(value)).Append("</").Append(name).Append('>');
        }

        text.Append("</u:").Append(action).Append("></s:Body></s:Envelope>\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>The SOAPACTION header's value for the action (UDA 1.1, 3.2.1): the quoted service type, '#', the action.</summary>
    public static string ActionHeader(string serviceType, string action) => $"\"{serviceType}#{action}\"";

    /// <summary>The out arguments of <paramref name="action"/>'s answer (the <c>u:ActionResponse</c> element), by name.</summary>
    public static IReadOnlyDictionary<string, string> DecodeResponse(ReadOnlySpan<byte> xml, string action, int maxBytes)
    {
        XElement body = Body(xml, maxBytes);
        XElement response = Child(body, action + "Response")
            ?? throw new PortMappingException($"the gateway's answer to {action} has no {action}Response");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (XElement argument in response.Elements())
        {
            values.TryAdd(argument.Name.LocalName, argument.Value.Trim());
        }

        return values;
    }

    /// <summary>The UPnPError of a fault answer (in Fault/detail/UPnPError), or null when there is none to read.</summary>
    public static SoapFault? DecodeFault(ReadOnlySpan<byte> xml, int maxBytes)
    {
        XElement body;
        try
        {
            body = Body(xml, maxBytes);
        }
        catch (PortMappingException)
        {
            return null;
        }

        XElement? error = body.Descendants().FirstOrDefault(e => e.Name.LocalName == "UPnPError");
        if (error is null || !int.TryParse(Text(error, "errorCode"), out int number))
        {
            return null;
        }

        string description = Text(error, "errorDescription");
        return new SoapFault(number, description.Length > 200 ? description[..200] : description);
    }

    private static XElement Body(ReadOnlySpan<byte> xml, int maxBytes) =>
        Child(Load(xml, maxBytes, "a SOAP answer"), "Body") ?? throw new PortMappingException("a SOAP answer without an Envelope/Body");
}
