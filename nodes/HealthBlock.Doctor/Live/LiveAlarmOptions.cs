using System.Security.Cryptography.X509Certificates;

namespace HealthBlock.Doctor.Live;

/// <summary>
/// The live path of a doctor node (docs/design-notes/ledger-growth.md): which broker carries the patients' sealed live
/// sub-batches, when a finding is critical (an alarm, written at once), and how long a summary period is.
/// </summary>
public sealed record LiveAlarmOptions
{
    /// <summary>
    /// The broker the patients' gateways publish <c>hb/live/&lt;patient&gt;</c> on: <c>mqtts://host:port</c> (TLS,
    /// validated against <see cref="BrokerAuthority"/>) or <c>mqtt://host:port</c> (plaintext, an explicit opt-out).
    /// </summary>
    public required Uri Broker { get; init; }

    /// <summary>The one CA the broker's certificate must chain to (needed for <c>mqtts://</c>; null for plaintext).</summary>
    public X509Certificate2? BrokerAuthority { get; init; }

    /// <summary>True when the broker is reached over TLS.</summary>
    public bool BrokerTls => Broker.Scheme is "mqtts" or "ssl";

    /// <summary>Checks that the broker's scheme matches its CA: <c>mqtts://</c> with one, <c>mqtt://</c> without.</summary>
    /// <exception cref="ArgumentException">It does not.</exception>
    public void Validate()
    {
        if (BrokerTls ? BrokerAuthority is null : Broker.Scheme is not ("mqtt" or "tcp") || BrokerAuthority is not null)
        {
            throw new ArgumentException($"Live broker '{Broker}' must be mqtts://host:port with the CA it must chain to, or mqtt://host:port (plaintext) without one.");
        }
    }

    /// <summary>One summary diagnosis per patient per this period (default 15 min), besides alarms and finding changes.</summary>
    public TimeSpan SummaryPeriod { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Asystole or a pause: no beat for this long on a readable signal (default 3 s).</summary>
    public double AsystoleSeconds { get; init; } = 3.0;

    /// <summary>Extreme bradycardia: a 10 s rate epoch below this (default 40 bpm).</summary>
    public double ExtremeBradycardiaBpm { get; init; } = 40.0;

    /// <summary>Ventricular tachycardia: this many consecutive ventricular beats (default 6).</summary>
    public int VentricularTachycardiaBeats { get; init; } = 6;

    /// <summary>Alarming fever: a temperature at or above this, centi-degrees Celsius (default 3950).</summary>
    public int AlarmFeverCentiCelsius { get; init; } = 3950;

    /// <summary>
    /// A non-critical finding's start or end is written only once the new state has held this long in device time
    /// (default 60 s), so a rate hovering at a threshold does not write a diagnosis at every crossing. Alarms are never held.
    /// </summary>
    public TimeSpan FindingHold { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often the served patients' live topics are (re)subscribed (default 2 s).</summary>
    public TimeSpan SubscriptionRefresh { get; init; } = TimeSpan.FromSeconds(2);
}
