/** The meeting page's sections, in order; ?tab= names one (概要 when absent). */
export type MeetingTab = 'overview' | 'agenda' | 'attendance' | 'minutes' | 'public' | 'decisions' | 'actions';
