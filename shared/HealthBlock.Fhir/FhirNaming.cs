using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Fhir;

/// <summary>
/// The identifier systems and code systems of HealthBlock's own: URIs under one base (see
/// <see cref="FhirExportOptions.NamingBase"/>). A deployment that owns a domain sets its base once and keeps it, since
/// receiving systems match identifiers by system and value.
/// </summary>
public sealed class FhirNaming
{
    private readonly string[] _transactions;
    private readonly string[] _blocks;

    /// <summary>The base used unless a deployment sets its own: under the <c>.example</c> top-level domain, which RFC 2606 reserves.</summary>
    public const string DefaultBase = "https://healthblock.example/fhir";

    /// <summary>Names under <paramref name="baseUri"/>.</summary>
    /// <param name="baseUri">An absolute http(s) URI without a trailing slash.</param>
    /// <exception cref="FhirExportException">The base is not an absolute http(s) URI, or ends with a slash.</exception>
    public FhirNaming(string baseUri = DefaultBase)
    {
        if (!Uri.TryCreate(baseUri, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) ||
            baseUri.EndsWith('/') || baseUri.Contains('#', StringComparison.Ordinal) || baseUri.Contains('?', StringComparison.Ordinal))
        {
            throw new FhirExportException($"The FHIR naming base '{baseUri}' must be an absolute http(s) URI without a trailing slash, query or fragment.");
        }

        Base = baseUri;
        Identity = baseUri + "/sid/identity";
        Device = baseUri + "/sid/device";
        FindingKind = baseUri + "/CodeSystem/finding-kind";
        FindingValue = baseUri + "/CodeSystem/finding-value";
        FindingSeverity = baseUri + "/CodeSystem/finding-severity";
        DiagnosisKind = baseUri + "/CodeSystem/diagnosis-kind";
        SensorKind = baseUri + "/CodeSystem/sensor-kind";
        DeviceProperty = baseUri + "/CodeSystem/device-property";
        _transactions = [baseUri + "/sid/userchain-transaction", baseUri + "/sid/docchain-transaction"];
        _blocks = [baseUri + "/sid/userchain-block", baseUri + "/sid/docchain-block"];
    }

    /// <summary>The base.</summary>
    public string Base { get; }

    /// <summary>Identifier system of on-chain identities (patients and doctors): the 32-character base32 id.</summary>
    public string Identity { get; }

    /// <summary>Identifier system of wearables: the device id as 16 lowercase hex digits.</summary>
    public string Device { get; }

    /// <summary>Code system of finding kinds (the analysis library's <c>FindingKind</c> names).</summary>
    public string FindingKind { get; }

    /// <summary>Code system of a finding's named values (e.g. <c>meanHeartRateBpm</c>).</summary>
    public string FindingValue { get; }

    /// <summary>Code system of finding severities (<c>Info</c> … <c>Critical</c>).</summary>
    public string FindingSeverity { get; }

    /// <summary>Code system of diagnosis kinds (<c>automated-screening</c>, <c>clinician-note</c>).</summary>
    public string DiagnosisKind { get; }

    /// <summary>Code system of sensor kinds (<c>ecg</c>, <c>bp</c>, <c>temp</c>, as in MQTT topics).</summary>
    public string SensorKind { get; }

    /// <summary>Code system of device property types (<c>sensor-kinds</c>).</summary>
    public string DeviceProperty { get; }

    /// <summary>Identifier system of a chain's transactions: the transaction id as 64 lowercase hex digits.</summary>
    /// <param name="chain">The chain.</param>
    /// <returns><c>…/sid/userchain-transaction</c> or <c>…/sid/docchain-transaction</c>.</returns>
    public string Transaction(ChainId chain) => _transactions[ChainIndex(chain)];

    /// <summary>Identifier system of a chain's blocks: <c>height:hash</c>, the height in decimal and the block hash as 64 lowercase hex digits.</summary>
    /// <param name="chain">The chain.</param>
    /// <returns><c>…/sid/userchain-block</c> or <c>…/sid/docchain-block</c>.</returns>
    public string Block(ChainId chain) => _blocks[ChainIndex(chain)];

    /// <summary>The value of a block identifier (<see cref="Block"/>).</summary>
    /// <param name="height">Block height.</param>
    /// <param name="hash">Block hash, hex.</param>
    /// <returns><c>height:hash</c>.</returns>
    public static string BlockValue(ulong height, string hash) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{height}:{hash}");

    private static int ChainIndex(ChainId chain) => chain switch
    {
        ChainId.Userchain => 0,
        ChainId.Docchain => 1,
        _ => throw new FhirExportException($"Chain {(byte)chain} is not a HealthBlock chain."),
    };

    /// <summary>The lowercase name of a chain.</summary>
    /// <param name="chain">The chain.</param>
    /// <returns><c>userchain</c> or <c>docchain</c>.</returns>
    public static string ChainName(ChainId chain) => chain switch
    {
        ChainId.Userchain => "userchain",
        ChainId.Docchain => "docchain",
        _ => throw new FhirExportException($"Chain {(byte)chain} is not a HealthBlock chain."),
    };
}
