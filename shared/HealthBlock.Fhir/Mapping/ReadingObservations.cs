using Hl7.Fhir.Model;

namespace HealthBlock.Fhir;

/// <summary>Observations of the wearables' readings: the ECG waveform and the vital signs.</summary>
internal static class ReadingObservations
{
    /// <summary>The text of the ECG observations' code.</summary>
    public const string EcgText = "ECG lead I";

    /// <summary>Observation category of the ECG waveform (electrodiagnostics, as the R4 ECG example files it).</summary>
    public const string ProcedureCategory = "procedure";

    /// <summary>Display of <see cref="ProcedureCategory"/>.</summary>
    public const string ProcedureDisplay = "Procedure";

    /// <summary>
    /// One chunk of lead-I ECG as <c>SampledData</c> at the native rate: origin 0 µV, factor 1 (the data are µV),
    /// period 1000 / rate Hz ms (4 ms at 250 Hz), one dimension, samples as space-separated integers.
    /// </summary>
    public static Observation Ecg(ExportContext context, EcgChunk chunk) => new()
    {
        Id = ExportContext.IdOf(chunk.Url),
        Status = ObservationStatus.Final,
        Category = [Elements.Category(ProcedureCategory, ProcedureDisplay)],
        Code = new CodeableConcept
        {
            Coding =
            [
                Elements.Coding(FhirCodes.MdcOid, FhirCodes.EcgLeadIPotential, FhirCodes.EcgLeadIPotentialName),
                Elements.Coding(FhirCodes.MdcUri, FhirCodes.EcgLeadIPotential, FhirCodes.EcgLeadIPotentialName),
            ],
            Text = EcgText,
        },
        Subject = context.Patient(),
        Effective = Elements.Period(FhirTime.FromTicks(chunk.StartTicks), FhirTime.FromTicks(chunk.EndTicks)),
        Device = context.Device(chunk.DeviceId),
        Value = new SampledData
        {
            Origin = Elements.Ucum(0, FhirCodes.Microvolts),
            Period = PeriodMs(chunk.RateMilliHz),
            Factor = 1,
            Dimensions = 1,
            Data = SampledDataText.Format(chunk.Parts),
        },
    };

    /// <summary>The sample period in ms for a rate in mHz (10^6 / rate), rounded to 10 decimal places, without trailing zeros.</summary>
    public static decimal PeriodMs(uint rateMilliHz) => Elements.Normalize(Math.Round(1_000_000m / rateMilliHz, 10));

    /// <summary>A cuff reading as the vital-signs blood-pressure panel: LOINC 85354-9 with systolic and diastolic components in mm[Hg].</summary>
    public static Observation BloodPressure(ExportContext context, BloodPressureReading reading, string url)
    {
        var observation = VitalSign(context, url, FhirCodes.BloodPressureProfile, ObservationStatus.Final, FhirCodes.BloodPressurePanel,
            "Blood pressure panel with all children optional", "Blood pressure", At(reading.TimeMs), reading.DeviceId);
        observation.Component =
        [
            Pressure(FhirCodes.SystolicPressure, "Systolic blood pressure", reading.SystolicMmHg),
            Pressure(FhirCodes.DiastolicPressure, "Diastolic blood pressure", reading.DiastolicMmHg),
        ];
        return observation;
    }

    /// <summary>The cuff's pulse as a vital-signs heart rate (LOINC 8867-4, /min).</summary>
    public static Observation Pulse(ExportContext context, BloodPressureReading reading, string url) =>
        HeartRate(context, url, ObservationStatus.Final, At(reading.TimeMs), reading.PulsePerMinute, reading.DeviceId);

    /// <summary>A vital-signs heart rate (LOINC 8867-4) in /min.</summary>
    public static Observation HeartRate(ExportContext context, string url, ObservationStatus status, DataType effective, decimal perMinute, ulong? deviceId)
    {
        var observation = VitalSign(context, url, FhirCodes.HeartRateProfile, status, FhirCodes.HeartRate, "Heart rate", "Heart rate", effective, deviceId);
        observation.Value = Elements.Ucum(perMinute, FhirCodes.PerMinute, "beats/minute");
        return observation;
    }

    /// <summary>A temperature reading as the vital-signs body temperature (LOINC 8310-5) in Cel; centi-degrees become an exact decimal.</summary>
    public static Observation Temperature(ExportContext context, TemperatureReading reading, string url)
    {
        var observation = VitalSign(context, url, FhirCodes.BodyTemperatureProfile, ObservationStatus.Final, FhirCodes.BodyTemperature,
            "Body temperature", "Body temperature", At(reading.TimeMs), reading.DeviceId);
        observation.Value = Elements.Ucum(new decimal(Math.Abs(reading.CentiCelsius), 0, 0, reading.CentiCelsius < 0, 2), FhirCodes.Celsius);
        return observation;
    }

    /// <summary>What every vital sign has: the core profile it claims, category vital-signs, its LOINC code, the patient, when, and the device.</summary>
    private static Observation VitalSign(ExportContext context, string url, string profile, ObservationStatus status, string loinc, string display, string text, DataType effective, ulong? deviceId) => new()
    {
        Id = ExportContext.IdOf(url),
        Meta = Elements.Profile(profile),
        Status = status,
        Category = [Elements.VitalSigns()],
        Code = Elements.Concept(FhirCodes.Loinc, loinc, display, text),
        Subject = context.Patient(),
        Effective = effective,
        Device = deviceId is { } id ? context.Device(id) : null,
    };

    private static FhirDateTime At(long unixMs) => new(FhirTime.DateTime(unixMs));

    private static Observation.ComponentComponent Pressure(string code, string display, int mmHg) => new()
    {
        Code = Elements.Concept(FhirCodes.Loinc, code, display, display),
        Value = Elements.Ucum(mmHg, FhirCodes.MillimetresOfMercury, "mmHg"),
    };
}
