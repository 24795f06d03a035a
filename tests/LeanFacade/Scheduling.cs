// SPDX-License-Identifier: Apache-2.0
// Facade of LEAN's QuantConnect.Scheduling: rules as plain values; the test harness decides when a scheduled event fires.
namespace QuantConnect.Scheduling
{
    public interface IDateRule
    {
        string Name { get; }
        IEnumerable<DateTime> GetDates(DateTime start, DateTime end);
    }

    public interface ITimeRule
    {
        string Name { get; }
        IEnumerable<DateTime> CreateUtcEventTimes(IEnumerable<DateTime> dates);
    }

    public class BaseScheduleRules
    {
        internal BaseScheduleRules() { }
    }

    /// <summary>Facade: weekdays stand in for the exchange calendar.</summary>
    public class DateRules : BaseScheduleRules
    {
        internal DateRules() { }

        public IDateRule EveryDay() => new FuncDateRule("EveryDay", (s, e) => Days(s, e));

        public IDateRule WeekStart(int daysOffset = 0) => new FuncDateRule($"WeekStart+{daysOffset}",
            (s, e) => Days(s, e).Where(d => d.DayOfWeek != DayOfWeek.Saturday && d.DayOfWeek != DayOfWeek.Sunday)
                .GroupBy(d => d.AddDays(-(((int)d.DayOfWeek + 6) % 7))).Select(g => g.Skip(daysOffset).FirstOrDefault()).Where(d => d != default));

        public IDateRule MonthStart(int daysOffset = 0) => new FuncDateRule($"MonthStart+{daysOffset}",
            (s, e) => Days(s, e).GroupBy(d => (d.Year, d.Month)).Select(g => g.Skip(daysOffset).FirstOrDefault()).Where(d => d != default));

        private static IEnumerable<DateTime> Days(DateTime start, DateTime end)
        {
            for (var d = start.Date; d <= end.Date; d = d.AddDays(1)) yield return d;
        }

        private sealed class FuncDateRule(string name, Func<DateTime, DateTime, IEnumerable<DateTime>> dates) : IDateRule
        {
            public string Name => name;

            public IEnumerable<DateTime> GetDates(DateTime start, DateTime end) => dates(start, end);
        }
    }

    /// <summary>Facade: times of day in UTC (LEAN converts from the algorithm time zone).</summary>
    public class TimeRules : BaseScheduleRules
    {
        internal TimeRules() { }

        public ITimeRule At(int hour, int minute, int second = 0) => new AtTimeRule(new TimeSpan(hour, minute, second));

        public ITimeRule Midnight => new AtTimeRule(TimeSpan.Zero);

        private sealed class AtTimeRule(TimeSpan timeOfDay) : ITimeRule
        {
            public string Name => timeOfDay.ToString();

            public IEnumerable<DateTime> CreateUtcEventTimes(IEnumerable<DateTime> dates) => dates.Select(d => d.Date + timeOfDay);
        }
    }

    public class ScheduledEvent : IDisposable
    {
        internal ScheduledEvent(string name, IDateRule dateRule, ITimeRule timeRule, Action callback)
        {
            Name = name;
            DateRule = dateRule;
            TimeRule = timeRule;
            Callback = callback;
        }

        public string Name { get; }

        internal IDateRule DateRule { get; }

        internal ITimeRule TimeRule { get; }

        internal Action Callback { get; }

        void IDisposable.Dispose() { }
    }
}
