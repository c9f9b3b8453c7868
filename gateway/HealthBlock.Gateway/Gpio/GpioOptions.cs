namespace HealthBlock.Gateway.Gpio;

/// <summary>GPIO pins of the gateway (BCM numbering on a Raspberry Pi); null disables a part.</summary>
public sealed record GpioOptions
{
    /// <summary>
    /// The GPIO chip (<c>/dev/gpiochipN</c>) to open through libgpiod, or null for the machine's default driver. On a
    /// Raspberry Pi the header is chip 0 (chip 4 on a Pi 5 with kernels before 6.6.45).
    /// </summary>
    public int? Chip { get; init; }

    /// <summary>Status LED: steady when healthy, blinking while a backlog waits, off when stopped.</summary>
    public int? StatusLedPin { get; init; } = 17;

    /// <summary>Alert LED: lit for <see cref="AlertHold"/> after each alert.</summary>
    public int? AlertLedPin { get; init; } = 27;

    /// <summary>Pairing button to ground (internal pull-up): a press opens the pairing window.</summary>
    public int? PairingButtonPin { get; init; } = 22;

    /// <summary>Optional buzzer: a short beep on each alert.</summary>
    public int? BuzzerPin { get; init; }

    /// <summary>How long the pairing window stays open.</summary>
    public TimeSpan PairingWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the alert LED stays lit.</summary>
    public TimeSpan AlertHold { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Status LED blink half-period.</summary>
    public TimeSpan BlinkHalfPeriod { get; init; } = TimeSpan.FromMilliseconds(250);
}
