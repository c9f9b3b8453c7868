namespace HealthBlock.Devnet;

/// <summary>What <c>healthblock devnet</c> runs.</summary>
public sealed record DevnetOptions
{
    /// <summary>Emulated wearables.</summary>
    public int Wearables { get; init; } = 3;

    /// <summary>Doctor nodes.</summary>
    public int Doctors { get; init; } = 2;

    /// <summary>Patients, each with its own gateway (user node); wearables are spread over them. Default: one per wearable up to 10.</summary>
    public int? Patients { get; init; }

    /// <summary>How long to stream, in seconds (0 = until cancelled).</summary>
    public int Seconds { get; init; } = 60;

    /// <summary>Accounting nodes (1 or 3).</summary>
    public int Nodes { get; init; } = 1;

    /// <summary>Data folder (a temp folder, removed at the end, when null).</summary>
    public string? DataFolder { get; init; }

    /// <summary>"embedded" or an IPFS API URL.</summary>
    public string Store { get; init; } = "embedded";

    /// <summary>"embedded" (each gateway hosts its broker) or an external broker URL (mqtt://host:port).</summary>
    public string Mqtt { get; init; } = "embedded";

    /// <summary>Where to write the JSON report, if anywhere.</summary>
    public string? ReportFile { get; init; }

    /// <summary>When set, every patient's readings and diagnoses are exported there as FHIR R4 Bundles at the end.</summary>
    public string? FhirFolder { get; init; }

    /// <summary>Serve the patient and doctor pages (loopback) and print their URLs with one-time login links.</summary>
    public bool Web { get; init; } = true;

    /// <summary>When set, the demo identities' key files are written to <c>keys/</c> with this passphrase, which also opens their pages.</summary>
    public string? WebPassphrase { get; init; }

    /// <summary>Wearables per patient when set (1 to 10): <see cref="Wearables"/> is then patients × this.</summary>
    public int? WearablesPerPatient { get; init; }

    /// <summary>
    /// True (default) for the live path: gateways seal live sub-batches every second on one shared broker, commit them
    /// once per <see cref="IotPeriod"/>, doctors stream-analyse them, alarm at once and summarise per
    /// <see cref="SummaryPeriod"/>; false for the old design (a batch per <see cref="BatchWindow"/>, a diagnosis per batch).
    /// </summary>
    public bool LivePath { get; init; } = true;

    /// <summary>The gateways' IoT period on the live path (default 60 s).</summary>
    public TimeSpan IotPeriod { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The doctors' summary period on the live path (default 15 min).</summary>
    public TimeSpan SummaryPeriod { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Gateway batch window (the old per-batch design only).</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Length of one ECG frame on the wearables (250 Hz); a reading waits this long before it is sent.</summary>
    public TimeSpan EcgFrame { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Preceding ECG the doctors analyse with each batch (0: each batch alone, the cheapest).</summary>
    public TimeSpan EcgContext { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Healthcoin per diagnosis in the genesis.</summary>
    public ulong DiagnosisFee { get; init; } = 1;

    /// <summary>Cohort statistics (<c>--stats</c>): gateways contribute encrypted periods and a doctor asks for the cohort's mean heart rate.</summary>
    public bool Stats { get; init; }

    /// <summary>The statistics period with <see cref="Stats"/> (default 5 s, so a short run closes several).</summary>
    public TimeSpan StatsPeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Number of patients actually used.</summary>
    public int PatientCount => Math.Max(1, Math.Min(Patients ?? Math.Min(Wearables, 10), Wearables));

    /// <summary>Checks the options; throws <see cref="ArgumentException"/> with the reason.</summary>
    public void Validate()
    {
        if (Wearables < 1)
        {
            throw new ArgumentException("--wearables must be at least 1.");
        }

        if (WearablesPerPatient is { } k && (k < 1 || k > 10))
        {
            throw new ArgumentException("--wearables-per-patient must be between 1 and 10.");
        }

        if (Patients is { } n && (n < 1 || n > 1000))
        {
            throw new ArgumentException("--patients must be between 1 and 1000.");
        }

        if (IotPeriod < TimeSpan.FromSeconds(1) || SummaryPeriod < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("--iot-period-s and --summary-period-s must be at least 1.");
        }

        if (Doctors < 1)
        {
            throw new ArgumentException("--doctors must be at least 1.");
        }

        if (Seconds < 0)
        {
            throw new ArgumentException("--seconds must be 0 (until Ctrl-C) or more.");
        }

        if (Nodes is not (1 or 3 or 5))
        {
            throw new ArgumentException("--nodes must be 1, 3 or 5.");
        }

        if (EcgFrame < TimeSpan.FromMilliseconds(20) || EcgFrame > TimeSpan.FromSeconds(8))
        {
            throw new ArgumentException("--ecg-frame-ms must be between 20 and 8000.");
        }

        if (Store != "embedded" && !Uri.TryCreate(Store, UriKind.Absolute, out _))
        {
            throw new ArgumentException("--store must be 'embedded' or an IPFS API URL.");
        }

        if (Mqtt != "embedded" && !(Uri.TryCreate(Mqtt, UriKind.Absolute, out var u) && u.Scheme is "mqtt" or "tcp"))
        {
            throw new ArgumentException("--mqtt must be 'embedded' or mqtt://host:port.");
        }
    }
}
