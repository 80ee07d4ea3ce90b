using System.Xml;
using System.Xml.Linq;

namespace Shoal.Net.PortMapping;

/// <summary>
/// Reads what a gateway sends as XML (its description, SOAP answers): no DTD, no external entity, a bounded size.
/// Elements are matched by local name, since routers disagree on namespaces (some leave them out).
/// </summary>
internal static class UpnpXml
{
    /// <summary>The root element of <paramref name="xml"/>; <paramref name="what"/> names it in the error.</summary>
    public static XElement Load(ReadOnlySpan<byte> xml, int maxBytes, string what)
    {
        if (xml.Length > maxBytes)
        {
            throw new PortMappingException($"{what} of {xml.Length} bytes, more than {maxBytes}");
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxBytes,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        try
        {
            using var stream = new MemoryStream(xml.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            return XDocument.Load(reader).Root ?? throw new PortMappingException($"{what} that is empty");
        }
        catch (XmlException e)
        {
            throw new PortMappingException($"{what} that is not well-formed XML: {e.Message}", e);
        }
    }

    public static XElement? Child(XElement? parent, string name) => Children(parent, name).FirstOrDefault();

    public static IEnumerable<XElement> Children(XElement? parent, string name) =>
        parent?.Elements().Where(e => e.Name.LocalName == name) ?? [];

    /// <summary>The trimmed text of the first child named <paramref name="name"/>, or "" when there is none.</summary>
    public static string Text(XElement? parent, string name) => Child(parent, name)?.Value.Trim() ?? "";
}
