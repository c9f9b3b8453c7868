// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using System;
using HealthBlock.Protocol.Frames;
using HealthBlock.Wearable.Hardware;
using HealthBlock.Wearable.Sensors;
using HealthBlock.Wearable.Uplink;

namespace HealthBlock.Wearable.Sampling
{
    /// <summary>
    /// Decides when each sensor is read and cuts readings into frames: ECG continuously in blocks (split where the
    /// lead-off state changes), temperature every N seconds, blood pressure on an interval or on demand.
    /// </summary>
    /// <remarks>
    /// <para>ECG sample k of the current timeline is due at <c>origin + k × 1000 / rate</c> ms (exactly 4 ms apart at
    /// 250 Hz); a frame's timestamp is the due time of its first sample, so consecutive frames tile time with no gap
    /// or overlap. A poll that finds samples overdue takes them all at once (the front end holds its value; the
    /// jitter is at most the poll period). If the sampler falls more than <c>MaxClockLagMs</c> behind, or the clock
    /// steps backwards (SNTP), the open block is closed and a new timeline starts at the present.</para>
    /// <para>Lead-off: a frame never mixes states. While LO+ or LO- is high the samples are sent as zeros in frames
    /// flagged <c>FlagLeadOff</c>; an ADC count on a rail marks the frame <c>FlagSensorFault</c>.</para>
    /// <para>Driven by <see cref="Poll"/> from one thread; <see cref="RequestBloodPressure"/> may be called from any.</para>
    /// </remarks>
    public sealed class SamplingScheduler
    {
        private readonly WearableSettings _settings;
        private readonly IEcgFrontEnd _ecg;
        private readonly Ad8232Conversion _conversion;
        private readonly IThermometer _thermometer;
        private readonly ICuff _cuff;
        private readonly ReadingQueue _queue;
        private readonly object _requestLock = new object();
        private readonly short[] _block;
        private readonly BloodPressureReading _bpResult = new BloodPressureReading();
        private readonly uint _ecgRateMilliHz;
        private readonly uint _temperatureRateMilliHz;
        private readonly uint _bloodPressureRateMilliHz;
        private bool _started;
        private long _origin;
        private long _ecgIndex;
        private long _lastSampleMs;
        private int _blockCount;
        private long _blockStartIndex;
        private bool _blockLeadOff;
        private bool _blockFault;
        private long _nextTemperatureMs;
        private long _nextBloodPressureMs;
        private long _nextCuffPollMs;
        private bool _bloodPressureRequested;
        private bool _cuffRunning;

        /// <summary>Creates the scheduler. <paramref name="thermometer"/> and <paramref name="cuff"/> may be <c>null</c> (not fitted).</summary>
        public SamplingScheduler(
            WearableSettings settings,
            IEcgFrontEnd ecg,
            Ad8232Conversion conversion,
            IThermometer thermometer,
            ICuff cuff,
            ReadingQueue queue)
        {
            if (settings == null || ecg == null || conversion == null || queue == null)
            {
                throw new ArgumentNullException("settings");
            }

            settings.Validate();
            _settings = settings;
            _ecg = ecg;
            _conversion = conversion;
            _thermometer = thermometer;
            _cuff = cuff;
            _queue = queue;
            _block = new short[settings.EcgSamplesPerFrame];
            _ecgRateMilliHz = (uint)settings.EcgRateHz * 1000;
            _temperatureRateMilliHz = RateOfInterval(settings.TemperatureIntervalMs);
            _bloodPressureRateMilliHz = RateOfInterval(settings.BloodPressureIntervalMs);
        }

        /// <summary>ECG samples taken.</summary>
        public long EcgSamples { get; private set; }

        /// <summary>ECG frames produced (with signal).</summary>
        public long EcgFrames { get; private set; }

        /// <summary>ECG frames produced while the leads were off.</summary>
        public long LeadOffFrames { get; private set; }

        /// <summary>Times the ECG timeline restarted after a stall or a clock step.</summary>
        public int TimelineRestarts { get; private set; }

        /// <summary>Temperature frames produced (including failed readings).</summary>
        public long TemperatureFrames { get; private set; }

        /// <summary>Temperature readings that failed.</summary>
        public int TemperatureFailures { get; private set; }

        /// <summary>Blood-pressure frames produced (including failed measurements).</summary>
        public long BloodPressureFrames { get; private set; }

        /// <summary>Blood-pressure measurements that failed.</summary>
        public int BloodPressureFailures { get; private set; }

        /// <summary>All frames produced (what went into the queue).</summary>
        public long FramesProduced
        {
            get { return EcgFrames + LeadOffFrames + TemperatureFrames + BloodPressureFrames; }
        }

        /// <summary>Asks for a blood-pressure measurement at the next poll (ignored while one runs).</summary>
        public void RequestBloodPressure()
        {
            lock (_requestLock)
            {
                _bloodPressureRequested = true;
            }
        }

        /// <summary>
        /// Takes every reading due at <paramref name="nowMs"/>, queues finished frames, and returns when the next
        /// reading is due.
        /// </summary>
        public long Poll(long nowMs)
        {
            if (!_started)
            {
                StartTimeline(nowMs);
                _nextTemperatureMs = nowMs;
                _nextBloodPressureMs = nowMs + _settings.BloodPressureIntervalMs;
                _started = true;
            }

            PollEcg(nowMs);
            PollTemperature(nowMs);
            PollBloodPressure(nowMs);
            return NextDue(nowMs);
        }

        /// <summary>Queues the ECG samples taken so far as a (short) frame; used when stopping.</summary>
        public void Flush()
        {
            FlushBlock();
        }

        private void PollEcg(long nowMs)
        {
            long lag = _settings.MaxClockLagMs;
            if (nowMs < _lastSampleMs - lag || nowMs - SampleTime(_ecgIndex) > lag)
            {
                FlushBlock();
                StartTimeline(nowMs);
                TimelineRestarts++;
            }

            while (SampleTime(_ecgIndex) <= nowMs)
            {
                TakeSample();
            }
        }

        private void TakeSample()
        {
            bool leadOff;
            int counts = _ecg.ReadSample(out leadOff);
            if (_blockCount > 0 && leadOff != _blockLeadOff)
            {
                FlushBlock();
            }

            if (_blockCount == 0)
            {
                _blockStartIndex = _ecgIndex;
                _blockLeadOff = leadOff;
                _blockFault = false;
            }

            short value = 0;
            if (!leadOff)
            {
                value = _conversion.ToMicrovolts(counts);
                if (_conversion.IsSaturated(counts))
                {
                    _blockFault = true;
                }
            }

            _block[_blockCount++] = value;
            _lastSampleMs = SampleTime(_ecgIndex);
            _ecgIndex++;
            EcgSamples++;
            if (_blockCount == _block.Length)
            {
                FlushBlock();
            }
        }

        private void FlushBlock()
        {
            if (_blockCount == 0)
            {
                return;
            }

            short[] samples = new short[_blockCount];
            Array.Copy(_block, samples, _blockCount);
            byte flags = 0;
            if (_blockLeadOff)
            {
                flags |= FrameLayout.FlagLeadOff;
                LeadOffFrames++;
            }
            else
            {
                EcgFrames++;
            }

            if (_blockFault)
            {
                flags |= FrameLayout.FlagSensorFault;
            }

            _queue.Enqueue(new Reading(FrameLayout.KindEcg, flags, SampleTime(_blockStartIndex), _ecgRateMilliHz, samples));
            _blockCount = 0;
        }

        private void PollTemperature(long nowMs)
        {
            int interval = _settings.TemperatureIntervalMs;
            if (_thermometer == null || interval == 0 || nowMs < _nextTemperatureMs)
            {
                return;
            }

            int centiCelsius;
            byte flags = 0;
            if (!_thermometer.TryReadCentiCelsius(out centiCelsius))
            {
                centiCelsius = 0;
                flags = FrameLayout.FlagSensorFault;
                TemperatureFailures++;
            }
            else if (centiCelsius > short.MaxValue || centiCelsius < short.MinValue)
            {
                centiCelsius = centiCelsius > 0 ? short.MaxValue : short.MinValue;
                flags = FrameLayout.FlagSensorFault;
            }

            _queue.Enqueue(new Reading(FrameLayout.KindTemperature, flags, nowMs, _temperatureRateMilliHz, new short[] { (short)centiCelsius }));
            TemperatureFrames++;
            _nextTemperatureMs += interval;
            if (_nextTemperatureMs <= nowMs)
            {
                _nextTemperatureMs = nowMs + interval;
            }
        }

        private void PollBloodPressure(long nowMs)
        {
            bool requested;
            lock (_requestLock)
            {
                requested = _bloodPressureRequested;
                _bloodPressureRequested = false;
            }

            if (_cuff == null)
            {
                return;
            }

            int interval = _settings.BloodPressureIntervalMs;
            bool due = requested || (interval > 0 && nowMs >= _nextBloodPressureMs);
            if (due && !_cuffRunning)
            {
                if (_cuff.StartMeasurement(nowMs))
                {
                    _cuffRunning = true;
                    _nextCuffPollMs = nowMs;
                }

                if (interval > 0)
                {
                    _nextBloodPressureMs = nowMs + interval;
                }
            }

            if (!_cuffRunning || nowMs < _nextCuffPollMs)
            {
                return;
            }

            int state = _cuff.Poll(nowMs, _bpResult);
            if (state == CuffPoll.Pending)
            {
                _nextCuffPollMs = nowMs + _settings.CuffPollMs;
                return;
            }

            _cuffRunning = false;
            short[] samples;
            byte flags = 0;
            if (state == CuffPoll.Completed)
            {
                samples = new short[] { (short)_bpResult.Systolic, (short)_bpResult.Diastolic, (short)_bpResult.Pulse };
            }
            else
            {
                // A failed measurement is reported, not hidden: fault flag, values 0, the error code in the third sample.
                samples = new short[] { 0, 0, (short)_bpResult.ErrorCode };
                flags = FrameLayout.FlagSensorFault;
                BloodPressureFailures++;
            }

            _queue.Enqueue(new Reading(FrameLayout.KindBloodPressure, flags, nowMs, _bloodPressureRateMilliHz, samples));
            BloodPressureFrames++;
        }

        private long NextDue(long nowMs)
        {
            long next = SampleTime(_ecgIndex);
            if (_thermometer != null && _settings.TemperatureIntervalMs > 0 && _nextTemperatureMs < next)
            {
                next = _nextTemperatureMs;
            }

            if (_cuff != null)
            {
                if (_cuffRunning)
                {
                    next = _nextCuffPollMs < next ? _nextCuffPollMs : next;
                }
                else if (_settings.BloodPressureIntervalMs > 0 && _nextBloodPressureMs < next)
                {
                    next = _nextBloodPressureMs;
                }
            }

            return next < nowMs ? nowMs : next;
        }

        private void StartTimeline(long nowMs)
        {
            _origin = nowMs;
            _ecgIndex = 0;
            _lastSampleMs = nowMs;
        }

        private long SampleTime(long index)
        {
            return _origin + (index * 1000 / _settings.EcgRateHz);
        }

        private static uint RateOfInterval(int intervalMs)
        {
            if (intervalMs <= 0)
            {
                return 1;
            }

            int rate = 1000000 / intervalMs;
            return rate < 1 ? 1 : (uint)rate;
        }
    }
}
