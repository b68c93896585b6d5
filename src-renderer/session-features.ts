// Registers what each feature keeps in the session, in the order it is restored (the app folder never imports the features).
import { registerSessionParts } from './app/session-parts';
import { DATASET_SESSION, MIXTURE_SESSION } from './features/data/data-session';
import { SAMPLE_MODEL_SESSION, SAMPLE_SESSION } from './features/sample/sample-session';
import { SCHEDULE_SESSION } from './features/schedule/schedule-session';
import { TRAIN_SESSION } from './features/train/train-session';

// The mixture before the Sample model (the ideal model of the mixture set is the mixture drawn); the data set last, as it waits for the studio's list.
registerSessionParts(SCHEDULE_SESSION, TRAIN_SESSION, SAMPLE_SESSION, MIXTURE_SESSION, SAMPLE_MODEL_SESSION, DATASET_SESSION);
