// Device adapter: .NET nanoFramework on ESP32 (compiled in CI by HealthBlock.Wearable.NanoCheck; see firmware/README.md).
using System;
using System.Device.Adc;
using System.Device.Gpio;
using System.Diagnostics;
using System.Threading;
using HealthBlock.Protocol.Pairing;
using HealthBlock.Wearable.Device.Adapters;
using HealthBlock.Wearable.Provisioning;
using HealthBlock.Wearable.Sampling;
using HealthBlock.Wearable.Sensors;
using HealthBlock.Wearable.Storage;
using HealthBlock.Wearable.Uplink;

namespace HealthBlock.Wearable.Device
{
    /// <summary>
    /// Boots the wearable: pins, provisioning, Wi-Fi with a valid clock, then the firmware core on its two threads.
    /// Everything else — sampling, framing, signing, sequence, queue, reconnects — is the core, tested on the host.
    /// </summary>
    public class Program
    {
        /// <summary>Entry point.</summary>
        public static void Main()
        {
            Debug.WriteLine("HealthBlock wearable starting");
            DevicePins.Configure();

            string problem;
            PairingBlob pairing = Provisioning.LoadPairing(out problem);
            if (pairing == null)
            {
                Halt("not paired: " + problem);
            }

            string ssid;
            string password;
            RtcClock clock = new RtcClock();
            WifiNetwork wifi = Provisioning.TryLoadWifi(out ssid, out password) ? new WifiNetwork(ssid, password, clock) : new WifiNetwork(null, null, clock);

            // Frame timestamps are wall-clock time: wait for Wi-Fi and SNTP before sampling.
            while (!wifi.EnsureConnected(60000))
            {
                Debug.WriteLine("waiting for Wi-Fi and time");
                Thread.Sleep(5000);
            }

            AdcController adc = new AdcController();
            GpioController gpio = new GpioController();
            Ad8232FrontEnd ecg = new Ad8232FrontEnd(
                new AdcInput(adc, DevicePins.EcgAdcChannel),
                new GpioInput(gpio, DevicePins.LeadOffPlus),
                new GpioInput(gpio, DevicePins.LeadOffMinus));
            Mlx90614Thermometer thermometer = new Mlx90614Thermometer(new NanoI2cDevice(DevicePins.I2cBus, Mlx90614Thermometer.DefaultAddress));
            CuffClient cuff = new CuffClient(new UartSerialChannel(DevicePins.CuffPort, DevicePins.CuffBaudRate));

            WearableCore core = new WearableCore(
                new WearableSettings(),
                pairing,
                clock,
                ecg,
                new Ad8232Conversion(),
                thermometer,
                cuff,
                new NanoHmacFrameMac(pairing.GetKey()),
                new DualSlotCounterStore(new FlashRecordSlots(ProvisioningFiles.CounterSlotPrefix)),
                new M2MqttUplink(BrokerConnection.FromPairing(pairing), 10000, wifi, clock));

            MeasureButton button = new MeasureButton(gpio, DevicePins.MeasureButton, core.Sampler);
            WearableRunner runner = new WearableRunner(core);
            runner.Start();
            Debug.WriteLine("streaming to " + pairing.BaseTopic + " via " + pairing.BrokerHost
                + (pairing.Security.IsPlaintext ? " (plaintext, as the pairing says)" : " (TLS 1.2)"));

            while (true)
            {
                Thread.Sleep(60000);
                Debug.WriteLine("sent " + core.Uplink.FramesSent.ToString() + ", queued " + core.Queue.Count.ToString()
                    + ", dropped " + core.Queue.TotalDropped.ToString() + (button.Presses > 0 ? ", button " + button.Presses.ToString() : string.Empty));
            }
        }

        private static void Halt(string reason)
        {
            while (true)
            {
                Debug.WriteLine("HealthBlock wearable halted: " + reason);
                Thread.Sleep(10000);
            }
        }
    }
}
