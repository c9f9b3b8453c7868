namespace HealthBlock.Fhir;

/// <summary>The published code systems and codes the export uses (sources in <c>docs/fhir.md</c>).</summary>
public static class FhirCodes
{
    /// <summary>LOINC.</summary>
    public const string Loinc = "http://loinc.org";

    /// <summary>UCUM, the Unified Code for Units of Measure.</summary>
    public const string Ucum = "http://unitsofmeasure.org";

    /// <summary>ISO/IEEE 11073-10101 (MDC) by its HL7 OID, as the FHIR R4 ECG example (<c>Observation/ekg</c>) writes it.</summary>
    public const string MdcOid = "urn:oid:2.16.840.1.113883.6.24";

    /// <summary>ISO/IEEE 11073-10101 (MDC) by the URI HL7 terminology registers for it (the same code system).</summary>
    public const string MdcUri = "urn:iso:std:iso:11073:10101";

    /// <summary>FHIR observation categories.</summary>
    public const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";

    /// <summary>HL7 v3 observation interpretation.</summary>
    public const string ObservationInterpretation = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

    /// <summary>HL7 v2 table 0074, diagnostic service sections (DiagnosticReport.category).</summary>
    public const string DiagnosticServiceSection = "http://terminology.hl7.org/CodeSystem/v2-0074";

    /// <summary>Provenance participant types.</summary>
    public const string ProvenanceParticipantType = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

    /// <summary>LOINC 85354-9, blood pressure panel with all children optional.</summary>
    public const string BloodPressurePanel = "85354-9";

    /// <summary>LOINC 8480-6, systolic blood pressure.</summary>
    public const string SystolicPressure = "8480-6";

    /// <summary>LOINC 8462-4, diastolic blood pressure.</summary>
    public const string DiastolicPressure = "8462-4";

    /// <summary>LOINC 8867-4, heart rate.</summary>
    public const string HeartRate = "8867-4";

    /// <summary>LOINC 8310-5, body temperature.</summary>
    public const string BodyTemperature = "8310-5";

    /// <summary>MDC 131329, MDC_ECG_ELEC_POTL_I: electric potential of ECG lead I (partition 2, code 257 = 256 + lead I).</summary>
    public const string EcgLeadIPotential = "131329";

    /// <summary>The MDC reference id of <see cref="EcgLeadIPotential"/>.</summary>
    public const string EcgLeadIPotentialName = "MDC_ECG_ELEC_POTL_I";

    /// <summary>UCUM millimetres of mercury.</summary>
    public const string MillimetresOfMercury = "mm[Hg]";

    /// <summary>UCUM per minute (heart rate).</summary>
    public const string PerMinute = "/min";

    /// <summary>UCUM degrees Celsius.</summary>
    public const string Celsius = "Cel";

    /// <summary>UCUM microvolts.</summary>
    public const string Microvolts = "uV";

    /// <summary>The FHIR core vital-signs profile for blood pressure, which the panel observations claim.</summary>
    public const string BloodPressureProfile = "http://hl7.org/fhir/StructureDefinition/bp";

    /// <summary>The FHIR core vital-signs profile for heart rate.</summary>
    public const string HeartRateProfile = "http://hl7.org/fhir/StructureDefinition/heartrate";

    /// <summary>The FHIR core vital-signs profile for body temperature.</summary>
    public const string BodyTemperatureProfile = "http://hl7.org/fhir/StructureDefinition/bodytemp";
}
