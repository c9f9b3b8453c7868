using System.Globalization;
using Hl7.Fhir.Model;

namespace HealthBlock.Fhir;

/// <summary>What every resource builder of one export shares: the naming and the full URLs of the parties.</summary>
internal sealed class ExportContext
{
    private readonly Dictionary<ulong, string> _deviceUrls;
    private readonly Dictionary<string, string> _doctorUrls;

    public ExportContext(FhirNaming naming, string patientUrl, Dictionary<ulong, string> deviceUrls, Dictionary<string, string> doctorUrls)
    {
        Naming = naming;
        PatientUrl = patientUrl;
        _deviceUrls = deviceUrls;
        _doctorUrls = doctorUrls;
    }

    public FhirNaming Naming { get; }

    public string PatientUrl { get; }

    public ResourceReference Patient() => new(PatientUrl);

    public ResourceReference Device(ulong deviceId) => new(DeviceUrl(deviceId));

    public ResourceReference Doctor(string doctorId) => new(DoctorUrl(doctorId));

    public string DeviceUrl(ulong deviceId) => _deviceUrls[deviceId];

    public string DoctorUrl(string doctorId) => _doctorUrls[doctorId];

    /// <summary>The full URL of the resource named <paramref name="name"/> (<c>urn:uuid:</c> + its version 5 UUID).</summary>
    public static string UrlOf(string name) => "urn:uuid:" + DeterministicUuid.Create(name);

    /// <summary>The resource id that goes with a <c>urn:uuid:</c> full URL: the UUID itself.</summary>
    public static string IdOf(string url) => url["urn:uuid:".Length..];

    public static string DeviceName(ulong deviceId) => deviceId.ToString("x16", CultureInfo.InvariantCulture);
}
