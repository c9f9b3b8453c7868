using System.Globalization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using HealthBlock.Fhir;

namespace HealthBlock.Fhir.Tests;

/// <summary>An exported bundle read back with the Firely deserializer (strict), with the lookups the tests need.</summary>
internal sealed class ParsedBundle
{
    private readonly Dictionary<string, Resource> _byUrl;

    public ParsedBundle(byte[] json)
    {
        Bundle = new FhirJsonDeserializer().Deserialize<Bundle>(System.Text.Encoding.UTF8.GetString(json));
        _byUrl = Bundle.Entry.ToDictionary(e => e.FullUrl!, e => e.Resource!, StringComparer.Ordinal);
    }

    public Bundle Bundle { get; }

    public FhirNaming Naming { get; } = new();

    public IEnumerable<T> All<T>()
        where T : Resource => Bundle.Entry.Select(e => e.Resource).OfType<T>();

    public T Resolve<T>(ResourceReference? reference)
        where T : Resource => (T)_byUrl[reference!.Reference!];

    public bool Contains(string url) => _byUrl.ContainsKey(url);

    public IEnumerable<Observation> WithCode(string system, string code) =>
        All<Observation>().Where(o => o.Code!.Coding.Any(c => c.System == system && c.Code == code));

    /// <summary>The device id (hex) a reference points at.</summary>
    public string DeviceOf(ResourceReference? reference) => Resolve<Device>(reference).Identifier.Single(i => i.System == Naming.Device).Value!;

    /// <summary>The identity id of the Patient or Practitioner a reference points at.</summary>
    public string IdentityOf(ResourceReference? reference) => Resolve<Resource>(reference) switch
    {
        Patient p => p.Identifier.Single(i => i.System == Naming.Identity).Value!,
        Practitioner p => p.Identifier.Single(i => i.System == Naming.Identity).Value!,
        var other => throw new InvalidOperationException($"{reference!.Reference} is a {other.TypeName}, not a party."),
    };

    public static long Ms(string? fhirDateTime) =>
        DateTimeOffset.Parse(fhirDateTime ?? throw new InvalidOperationException("no time"), CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    /// <summary>Start and end of an effective[x]: a Period, or a dateTime (start = end).</summary>
    public static (long Start, long End) Span(DataType? effective) => effective switch
    {
        FhirDateTime t => (Ms(t.Value), Ms(t.Value)),
        Period p => (Ms(p.Start), Ms(p.End)),
        _ => throw new InvalidOperationException($"effective is {effective?.TypeName ?? "absent"}"),
    };

    public static long Ms(DataType? effective) => effective is FhirDateTime t ? Ms(t.Value) : throw new InvalidOperationException($"effective is {effective?.TypeName ?? "absent"}, not a dateTime");

    public static Quantity Quantity(DataType? value) => value as Quantity ?? throw new InvalidOperationException($"value is {value?.TypeName ?? "absent"}, not a Quantity");

    public static string CodeOf(Observation o) => o.Code!.Coding[0].Code!;
}
