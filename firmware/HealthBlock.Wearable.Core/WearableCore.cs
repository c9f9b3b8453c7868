// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using System;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Pairing;
using HealthBlock.Wearable.Hardware;
using HealthBlock.Wearable.Sampling;
using HealthBlock.Wearable.Sensors;
using HealthBlock.Wearable.Storage;
using HealthBlock.Wearable.Uplink;

namespace HealthBlock.Wearable
{
    /// <summary>
    /// The whole wearable minus its hardware: sampler, offline queue, sequence counter and uplink, wired to the
    /// hardware edges it is given. The device and the emulators build exactly this; only the adapters differ.
    /// </summary>
    public sealed class WearableCore
    {
        /// <summary>Wires the wearable. <paramref name="thermometer"/> and <paramref name="cuff"/> may be <c>null</c>.</summary>
        /// <param name="settings">Tunables (validated here).</param>
        /// <param name="pairing">Identity, key, broker and topic from the pairing blob.</param>
        /// <param name="clock">Wall clock.</param>
        /// <param name="ecg">The ECG front end.</param>
        /// <param name="conversion">ADC counts to microvolts of that front end.</param>
        /// <param name="thermometer">Body thermometer, or <c>null</c>.</param>
        /// <param name="cuff">Blood-pressure cuff, or <c>null</c>.</param>
        /// <param name="mac">HMAC-SHA256 under the device key.</param>
        /// <param name="counterStore">Where the sequence block start is persisted.</param>
        /// <param name="uplink">The MQTT adapter.</param>
        public WearableCore(
            WearableSettings settings,
            PairingBlob pairing,
            IClock clock,
            IEcgFrontEnd ecg,
            Ad8232Conversion conversion,
            IThermometer thermometer,
            ICuff cuff,
            IFrameMac mac,
            ICounterStore counterStore,
            IMqttUplink uplink)
        {
            if (settings == null || pairing == null || clock == null || mac == null || counterStore == null || uplink == null)
            {
                throw new ArgumentNullException("settings");
            }

            settings.Validate();
            Settings = settings;
            Pairing = pairing;
            Clock = clock;
            Queue = new ReadingQueue(settings.QueueCapacity);
            Sequence = new SequenceCounter(counterStore, settings.SequenceBlockSize);
            Sampler = new SamplingScheduler(settings, ecg, conversion, thermometer, cuff, Queue);
            ulong id = pairing.DeviceId;
            Backoff backoff = new Backoff(settings.ReconnectInitialMs, settings.ReconnectMaxMs, (uint)(id ^ (id >> 32)));
            Uplink = new UplinkPump(
                uplink,
                Queue,
                Sequence,
                new FrameBuilder(pairing.DeviceId, mac, settings.TagLength),
                backoff,
                pairing.BaseTopic,
                settings.MaxFramesPerPoll,
                settings.UplinkIdlePollMs);
        }

        /// <summary>The tunables.</summary>
        public WearableSettings Settings { get; private set; }

        /// <summary>The pairing.</summary>
        public PairingBlob Pairing { get; private set; }

        /// <summary>The clock every poll reads.</summary>
        public IClock Clock { get; private set; }

        /// <summary>The offline queue.</summary>
        public ReadingQueue Queue { get; private set; }

        /// <summary>The persisted sequence counter.</summary>
        public SequenceCounter Sequence { get; private set; }

        /// <summary>The sampler.</summary>
        public SamplingScheduler Sampler { get; private set; }

        /// <summary>The uplink.</summary>
        public UplinkPump Uplink { get; private set; }

        /// <summary>Runs the sampler now; returns when it is next due (ms since the epoch).</summary>
        public long PollSampler()
        {
            return Sampler.Poll(Clock.UtcNowMs);
        }

        /// <summary>Runs the uplink now; returns when it wants to run next.</summary>
        public long PollUplink()
        {
            return Uplink.Poll(Clock.UtcNowMs);
        }
    }
}
