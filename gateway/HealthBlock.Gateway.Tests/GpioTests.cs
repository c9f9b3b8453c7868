using System.Device.Gpio;
using HealthBlock.Gateway.Gpio;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Gateway.Tests;

public class GpioTests
{
    private static readonly GpioOptions Pins = new()
    {
        StatusLedPin = 17,
        AlertLedPin = 27,
        PairingButtonPin = 22,
        BuzzerPin = 23,
        AlertHold = TimeSpan.FromMilliseconds(50),
        BlinkHalfPeriod = TimeSpan.FromHours(1),
    };

    [Fact]
    public void Status_led_is_steady_when_healthy_and_blinks_with_a_backlog()
    {
        var driver = new TestGpioDriver();
        using var gpio = new GatewayGpio(Pins, NullLogger.Instance, new GpioController(driver));

        gpio.SetHealth(GatewayHealth.Healthy);
        Assert.Equal(PinValue.High, driver.Level(17));
        gpio.Tick();
        Assert.Equal(PinValue.High, driver.Level(17));

        gpio.SetHealth(GatewayHealth.Backlog);
        var seen = new HashSet<PinValue>();
        for (var i = 0; i < 4; i++)
        {
            gpio.Tick();
            seen.Add(driver.Level(17));
        }

        Assert.Equal(2, seen.Count);
        gpio.SetHealth(GatewayHealth.Stopped);
        Assert.Equal(PinValue.Low, driver.Level(17));
    }

    [Fact]
    public void Alert_lights_the_alert_led_and_beeps_until_the_hold_time_passes()
    {
        var driver = new TestGpioDriver();
        var time = new ManualTime();
        using var gpio = new GatewayGpio(Pins with { AlertHold = TimeSpan.FromSeconds(30) }, NullLogger.Instance, new GpioController(driver), time: time);

        gpio.Alert();
        Assert.Equal(PinValue.High, driver.Level(27));
        Assert.Equal(PinValue.High, driver.Level(23));
        gpio.Tick();
        Assert.Equal(PinValue.Low, driver.Level(23));
        Assert.Equal(PinValue.High, driver.Level(27));

        time.Advance(TimeSpan.FromSeconds(29));
        gpio.Tick();
        Assert.Equal(PinValue.High, driver.Level(27));
        time.Advance(TimeSpan.FromSeconds(1));
        gpio.Tick();
        Assert.Equal(PinValue.Low, driver.Level(27));
    }

    [Fact]
    public void The_pairing_window_closes_when_its_time_is_up()
    {
        var time = new ManualTime();
        using var gpio = new GatewayGpio(Pins with { PairingWindow = TimeSpan.FromSeconds(60) }, NullLogger.Instance, new GpioController(new TestGpioDriver()), time: time);

        gpio.OpenPairingWindow();
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(gpio.PairingWindowOpen);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(gpio.PairingWindowOpen);
    }

    /// <summary>A clock that moves only when told (its timers are the system's; these tests call Tick themselves).</summary>
    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    [Fact]
    public void Pressing_the_pairing_button_opens_the_window()
    {
        var driver = new TestGpioDriver();
        using var gpio = new GatewayGpio(Pins, NullLogger.Instance, new GpioController(driver));
        var opened = 0;
        gpio.PairingWindowOpened += () => opened++;

        Assert.False(gpio.PairingWindowOpen);
        driver.Drive(22, PinValue.Low);

        Assert.Equal(1, opened);
        Assert.True(gpio.PairingWindowOpen);
    }

    [Fact]
    public void Disposing_turns_the_leds_off_and_closes_the_pins()
    {
        var driver = new TestGpioDriver();
        var gpio = new GatewayGpio(Pins, NullLogger.Instance, new GpioController(driver));
        gpio.SetHealth(GatewayHealth.Healthy);
        gpio.Alert();

        gpio.Dispose();

        Assert.Equal(PinValue.Low, driver.Level(17));
        Assert.Equal(PinValue.Low, driver.Level(27));
        Assert.False(driver.IsOpen(17));
    }

    [Fact]
    public void Unconfigured_pins_are_disabled_cleanly()
    {
        var driver = new TestGpioDriver();
        using var gpio = new GatewayGpio(new GpioOptions { StatusLedPin = null, AlertLedPin = null, PairingButtonPin = null, BuzzerPin = null }, NullLogger.Instance, new GpioController(driver));

        Assert.False(gpio.Enabled);
        gpio.SetHealth(GatewayHealth.Healthy);
        gpio.Alert();
        Assert.Empty(driver.Writes);
    }

    [Fact]
    public void A_gpio_chip_the_machine_does_not_have_leaves_gpio_disabled_and_every_call_harmless()
    {
        // No machine has 250 GPIO chips: libgpiod (when installed) fails to open the chip, and without libgpiod the
        // driver cannot load. Either way the gateway must run on without LEDs or button.
        using var gpio = new GatewayGpio(Pins with { Chip = 250 }, NullLogger.Instance);

        Assert.False(gpio.Enabled);
        gpio.SetHealth(GatewayHealth.Healthy);
        gpio.Alert();
        gpio.OpenPairingWindow();
        gpio.Tick();
        Assert.True(gpio.PairingWindowOpen);
    }
}
