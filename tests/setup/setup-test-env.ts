import '@testing-library/jest-dom/vitest'

process.env.NODE_ENV ??= 'test'
