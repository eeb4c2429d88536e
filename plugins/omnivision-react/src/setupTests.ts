import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// findBy*/waitFor wait for the DOM, not for a deadline: on CI's two cores, running ten jest
// projects side by side, a file's first render can take longer than the library's 1 s default
// (4 s stays under Jest's 5 s per test, so a failing wait still shows the DOM).
configure({ asyncUtilTimeout: 4_000 });
